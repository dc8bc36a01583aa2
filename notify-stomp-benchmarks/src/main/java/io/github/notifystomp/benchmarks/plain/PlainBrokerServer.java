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

package io.github.notifystomp.benchmarks.plain;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.benchmarks.common.Baselines;
import io.github.notifystomp.benchmarks.common.BenchController;
import io.github.notifystomp.benchmarks.common.BenchSender;
import io.github.notifystomp.benchmarks.common.BenchTokens;
import io.github.notifystomp.benchmarks.common.SimpBenchSender;

/**
 * The single-node baseline: Spring's simple broker, token authentication on CONNECT with
 * a channel interceptor, and {@code convertAndSendToUser} to {@code /user/queue/notify},
 * with the starter switched off ({@code notify.stomp.enabled=false}, checked at startup).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocketMessageBroker
@Import(BenchController.class)
public class PlainBrokerServer {

	@Bean
	BenchTokens benchTokens(@Value("${bench.token-secret}") String secret) {
		return new BenchTokens(secret);
	}

	@Bean
	WebSocketMessageBrokerConfigurer plainBrokerConfigurer(BenchTokens tokens) {
		return Baselines.stomp(tokens, (registry) -> {
			registry.enableSimpleBroker("/queue", "/topic");
			// -Dbench.plain.ordered=true: the same per-session order notify-stomp keeps,
			// for a like-for-like comparison (Spring's default is unordered)
			registry.setPreservePublishOrder(Boolean.getBoolean("bench.plain.ordered"));
		});
	}

	@Bean
	BenchSender benchSender(SimpMessagingTemplate template, SimpUserRegistry registry) {
		return new SimpBenchSender(template, registry, "/queue/notify", "/topic/notify");
	}

	/**
	 * Start the baseline.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		Baselines.run(PlainBrokerServer.class, args);
	}

}
