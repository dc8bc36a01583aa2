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
package io.github.notifystomp.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drops on a real server are counted in {@code notify.stomp.messages.dropped} and logged:
 * a transient message for a user who connected but has not subscribed yet, and messages
 * the outbound channel refuses or fails (here an application's own interceptor).
 */
@NotifyStompServerTest(properties = { "notify.stomp.store.type=none", "spring.jmx.enabled=false" })
@Import(MessageDropIntegrationTests.OutboundInterceptorConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class MessageDropIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate template;

	@Autowired
	LocalSessions sessions;

	@Autowired
	MeterRegistry meters;

	@Test
	void whenAUserIsConnectedButNotSubscribedThenATransientMessageForItIsCountedAndLogged(CapturedOutput output)
			throws Exception {
		try (RawStompClient client = RawStompClient.open(this.port)) {
			client.connect("valid-nell");
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.sessions.sessionCount("nell") == 1);
			double before = dropped("not-subscribed");

			this.template.sendToUser("nell",
					NotifyMessage.builder("text").payload("between CONNECT and SUBSCRIBE").transientMessage().build());

			assertThat(dropped("not-subscribed") - before).isEqualTo(1);
			assertThat(output.getOut()).contains("(reason: not-subscribed,").contains("for user nell");
		}
	}

	@Test
	void whenASubscribedUserGetsAMessageThenNothingIsCountedAsDropped() {
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-otto")) {
			StompTestClient.Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionsOf("otto").stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
			double before = dropped(null);

			this.template.sendToUser("otto", NotifyMessage.builder("text").payload("hello").transientMessage().build());

			assertThat(inbox.next().body()).contains("hello");
			assertThat(dropped(null)).isEqualTo(before);
		}
	}

	@Test
	void whenTheOutboundChannelRefusesOrFailsAMessageThenItIsCountedAndLogged(CapturedOutput output) {
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-pia")) {
			StompTestClient.Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionsOf("pia").stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
			double refused = dropped("not-sent");
			double failed = dropped("send-failed");

			this.template.sendToUser("pia", NotifyMessage.builder("refuse-me").payload("1").transientMessage().build());
			this.template.sendToUser("pia", NotifyMessage.builder("fail-me").payload("2").transientMessage().build());
			this.template.sendToUser("pia", NotifyMessage.builder("text").payload("3").transientMessage().build());

			assertThat(inbox.next().body()).contains("\"payload\":\"3\"");
			assertThat(dropped("not-sent") - refused).isEqualTo(1);
			assertThat(dropped("send-failed") - failed).isEqualTo(1);
			assertThat(output.getOut()).contains("(reason: not-sent,")
				.contains("(reason: send-failed,")
				.contains("outbound interceptor failed");
		}
	}

	private double dropped(String reason) {
		var search = this.meters.find("notify.stomp.messages.dropped");
		if (reason != null) {
			search = search.tag("reason", reason);
		}
		return search.counters().stream().mapToDouble(Counter::count).sum();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OutboundInterceptorConfiguration {

		// refuses messages of type refuse-me, fails those of type fail-me
		@Bean
		WebSocketMessageBrokerConfigurer refusingOutboundInterceptor() {
			return new WebSocketMessageBrokerConfigurer() {

				@Override
				public void configureClientOutboundChannel(ChannelRegistration registration) {
					registration.interceptors(new ChannelInterceptor() {

						@Override
						public Message<?> preSend(Message<?> message, MessageChannel channel) {
							Object type = StompHeaderAccessor.wrap(message).getFirstNativeHeader("notify-type");
							if ("refuse-me".equals(type)) {
								return null;
							}
							if ("fail-me".equals(type)) {
								throw new IllegalStateException("outbound interceptor failed");
							}
							return message;
						}

					});
				}

			};
		}

	}

}
