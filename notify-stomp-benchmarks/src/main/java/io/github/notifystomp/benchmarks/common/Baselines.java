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

package io.github.notifystomp.benchmarks.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * What the baseline servers share: their STOMP set-up, their start, and the check that
 * keeps them honest.
 */
public final class Baselines {

	private Baselines() {
	}

	/**
	 * The STOMP set-up of a baseline: endpoint {@code /ws}, application prefix
	 * {@code /app}, user prefix {@code /user}, the same bearer-token check on CONNECT as
	 * the starter's nodes, and the given broker.
	 * @param tokens checks the tokens
	 * @param broker enables the broker under test
	 * @return the configurer
	 */
	public static WebSocketMessageBrokerConfigurer stomp(BenchTokens tokens, Consumer<MessageBrokerRegistry> broker) {
		return new WebSocketMessageBrokerConfigurer() {

			@Override
			public void registerStompEndpoints(StompEndpointRegistry registry) {
				registry.addEndpoint("/ws");
			}

			@Override
			public void configureMessageBroker(MessageBrokerRegistry registry) {
				broker.accept(registry);
				registry.setApplicationDestinationPrefixes("/app");
				registry.setUserDestinationPrefix("/user");
			}

			@Override
			public void configureClientInboundChannel(ChannelRegistration registration) {
				registration.interceptors(new BearerTokenInterceptor(tokens));
			}

		};
	}

	/**
	 * Start a baseline with the starter switched off, and check that it is.
	 * @param application the baseline's configuration class
	 * @param args Spring Boot arguments
	 */
	public static void run(Class<?> application, String[] args) {
		SpringApplication spring = new SpringApplication(application);
		spring.setDefaultProperties(Map.of("notify.stomp.enabled", "false"));
		requireNoStarter(spring.run(args));
	}

	/**
	 * Fail unless the context holds no bean of the starter: a baseline measures Spring
	 * alone.
	 * @param context the started baseline application
	 */
	public static void requireNoStarter(ConfigurableApplicationContext context) {
		List<String> found = new ArrayList<>();
		for (String name : context.getBeanDefinitionNames()) {
			Class<?> type = context.getType(name);
			if (type != null && type.getName().startsWith("io.github.notifystomp.")
					&& !type.getName().startsWith("io.github.notifystomp.benchmarks.")) {
				found.add(name + " (" + type.getName() + ")");
			}
		}
		if (!found.isEmpty()) {
			context.close();
			throw new IllegalStateException("A baseline must run without notify-stomp, but it has " + found);
		}
	}

}
