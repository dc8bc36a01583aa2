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

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.metrics.MicrometerNotifyMetrics;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.ClusterNode;

/**
 * Auto-configuration for the starter's Micrometer meters ({@code notify.stomp.*}), when
 * the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(before = NotifyStompAutoConfiguration.class,
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class NotifyStompMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NotifyMetrics.class)
	MicrometerNotifyMetrics notifyMetrics(MeterRegistry registry, ObjectProvider<ClusterNode> node,
			ObjectProvider<LocalSessions> sessions) {
		return new MicrometerNotifyMetrics(registry, node.getObject().id(), () -> sessions.getObject().sessionCount(),
				() -> sessions.getObject().userCount());
	}

}
