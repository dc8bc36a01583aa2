/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.notifystomp;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame that fails for a reason the starter does not know (here an application's own
 * interceptor throws): the client gets a fixed text, never the exception's, and the
 * operator gets one WARN line that names the failure.
 */
@NotifyStompServerTest
@Import(UnexpectedFailureIntegrationTests.FailingInterceptorConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class UnexpectedFailureIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void whenAFrameFailsUnexpectedlyThenTheClientGetsAFixedTextAndTheFailureIsLogged(CapturedOutput output) {
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-una")) {
			client.send("/app/explode", "{}", Map.of());

			assertThat(client.awaitError()).isEqualTo("Frame refused");
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("unexpected failure"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("IllegalArgumentException")
				.contains("interceptor exploded"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FailingInterceptorConfiguration {

		@Bean
		WebSocketMessageBrokerConfigurer failingInterceptor() {
			return new WebSocketMessageBrokerConfigurer() {

				@Override
				public void configureClientInboundChannel(ChannelRegistration registration) {
					registration.interceptors(new ChannelInterceptor() {

						@Override
						public Message<?> preSend(Message<?> message, MessageChannel channel) {
							StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
							if (accessor.getCommand() == StompCommand.SEND
									&& "/app/explode".equals(accessor.getDestination())) {
								throw new IllegalArgumentException("interceptor exploded");
							}
							return message;
						}

					});
				}

			};
		}

	}

}
