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
package io.github.notifystomp.autoconfigure;

import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client channels get bounded executors of the starter's own instead of Boot's
 * shared, unbounded {@code applicationTaskExecutor}, unless the application sets its own.
 */
class NotifyStompChannelExecutorConfigurerTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(BootAutoConfigurations.jackson(), BootAutoConfigurations.taskExecution(),
					NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
					NotifyStompClusterAutoConfiguration.class, NotifyStompMetricsAutoConfiguration.class,
					NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()));

	@Test
	void whenNothingIsConfiguredThenEachClientChannelHasABoundedExecutorOfItsOwn() {
		this.contextRunner.run((context) -> {
			Executor inbound = context.getBean("clientInboundChannelExecutor", Executor.class);
			Executor outbound = context.getBean("clientOutboundChannelExecutor", Executor.class);
			assertThat(inbound).isNotSameAs(outbound);
			context.getBeanProvider(Executor.class, false)
				.stream()
				.filter(ThreadPoolTaskExecutor.class::isInstance)
				.forEach((executor) -> assertThat(((ThreadPoolTaskExecutor) executor).getQueueCapacity())
					.as("queue capacity")
					.isNotEqualTo(Integer.MAX_VALUE));
			for (Executor executor : new Executor[] { inbound, outbound }) {
				assertThat(executor).isInstanceOfSatisfying(ThreadPoolTaskExecutor.class, (pool) -> {
					assertThat(pool.getQueueCapacity()).isEqualTo(NotifyStompChannelExecutorConfigurer.QUEUE_CAPACITY);
					assertThat(pool.getMaxPoolSize())
						.isGreaterThanOrEqualTo(NotifyStompChannelExecutorConfigurer.MIN_THREADS);
					assertThat(pool.getThreadNamePrefix()).startsWith("notify-stomp-");
				});
			}
		});
	}

	@Test
	void whenTheApplicationSetsItsOwnChannelExecutorThenItIsKept() {
		this.contextRunner.withUserConfiguration(UserExecutorConfiguration.class).run((context) -> {
			assertThat(context.getBean("clientInboundChannelExecutor")).isSameAs(UserExecutorConfiguration.EXECUTOR);
			assertThat(context.getBean("clientOutboundChannelExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserExecutorConfiguration {

		static final Executor EXECUTOR = new SyncTaskExecutor();

		@Bean
		WebSocketMessageBrokerConfigurer userExecutorConfigurer() {
			return new WebSocketMessageBrokerConfigurer() {

				@Override
				public void configureClientInboundChannel(ChannelRegistration registration) {
					registration.executor(EXECUTOR);
				}

			};
		}

	}

}
