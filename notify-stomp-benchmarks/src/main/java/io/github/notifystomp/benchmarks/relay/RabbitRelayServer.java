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

package io.github.notifystomp.benchmarks.relay;

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
 * The cross-node baseline: Spring's STOMP broker relay to RabbitMQ's STOMP plugin, with
 * the multi-server user support Spring offers for it: {@code userRegistryBroadcast} (each
 * node shares its user registry) and {@code userDestinationBroadcast} (messages for users
 * unknown here go to every node). Clients subscribe to {@code /user/topic/notify}, which
 * Spring resolves to one {@code /topic/notify-user<session>} per session; RabbitMQ backs
 * each with an auto-deleted queue, so nothing is left behind after a run.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocketMessageBroker
@Import(BenchController.class)
public class RabbitRelayServer {

	@Bean
	BenchTokens benchTokens(@Value("${bench.token-secret}") String secret) {
		return new BenchTokens(secret);
	}

	@Bean
	WebSocketMessageBrokerConfigurer relayBrokerConfigurer(BenchTokens tokens,
			@Value("${bench.relay.port:61613}") int relayPort, @Value("${bench.relay.prefix}") String prefix) {
		return Baselines.stomp(tokens,
				(registry) -> registry.enableStompBrokerRelay("/topic")
					.setRelayHost("127.0.0.1")
					.setRelayPort(relayPort)
					.setVirtualHost("/")
					.setClientLogin("guest")
					.setClientPasscode("guest")
					.setSystemLogin("guest")
					.setSystemPasscode("guest")
					.setUserDestinationBroadcast("/topic/" + prefix + ".unresolved-user")
					.setUserRegistryBroadcast("/topic/" + prefix + ".user-registry"));
	}

	@Bean
	BenchSender benchSender(SimpMessagingTemplate template, SimpUserRegistry registry) {
		return new SimpBenchSender(template, registry, "/topic/notify", "/topic/notify");
	}

	/**
	 * Start a baseline node.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		Baselines.run(RabbitRelayServer.class, args);
	}

}
