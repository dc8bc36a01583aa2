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

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.github.notifystomp.delivery.internal.SessionDrain;
import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow consumer and drain properties: good values start, bad ones fail naming the
 * property.
 */
class DeliveryLimitsPropertiesTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.jackson(),
				NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
				NotifyStompClusterAutoConfiguration.class, NotifyStompMetricsAutoConfiguration.class,
				NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()));

	@Test
	void whenTheDropPolicyAndDrainWindowAreSetThenTheContextStartsWithADrain() {
		this.contextRunner
			.withPropertyValues("notify.stomp.transport.slow-consumer-policy=drop-newest",
					"notify.stomp.transport.outbound-queue-limit=200", "notify.stomp.shutdown.reconnect-window=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(SessionDrain.class);
				NotifyStompProperties.Transport transport = context.getBean(NotifyStompProperties.class).getTransport();
				assertThat(transport.getSlowConsumerPolicy())
					.isEqualTo(NotifyStompProperties.Transport.SlowConsumerPolicy.DROP_NEWEST);
				assertThat(transport.getOutboundQueueLimit()).isEqualTo(200);
			});
	}

	@Test
	void whenALimitIsBadThenStartupFailsNamingTheProperty() {
		for (String bad : List.of("notify.stomp.transport.outbound-queue-limit=0",
				"notify.stomp.shutdown.reconnect-window=-1s", "notify.stomp.shutdown.drain-timeout=-1s")) {
			String property = bad.substring(0, bad.indexOf('='));
			this.contextRunner.withPropertyValues(bad).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidNotifyStompPropertyException.class)
					.hasMessageContaining(property);
			});
		}
	}

	@Test
	void whenThePolicyIsUnknownThenStartupFails() {
		this.contextRunner.withPropertyValues("notify.stomp.transport.slow-consumer-policy=block")
			.run((context) -> assertThat(context).hasFailed());
	}

}
