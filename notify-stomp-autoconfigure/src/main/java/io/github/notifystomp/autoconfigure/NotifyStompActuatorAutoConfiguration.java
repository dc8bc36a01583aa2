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

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.actuate.internal.ClusterHealthCheck;
import io.github.notifystomp.actuate.NotifyStompEndpoint;
import io.github.notifystomp.actuate.internal.NotifyStompEndpointWebExtension;
import io.github.notifystomp.actuate.internal.NotifyStompHealth;
import io.github.notifystomp.actuate.internal.NotifyStompHealthIndicator;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.cluster.internal.ClusterStatus;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.presence.ClusterNode;
import io.github.notifystomp.presence.PresenceRegistry;

/**
 * Auto-configuration for the Actuator endpoint {@code notifystomp} and the health
 * {@code notifyStomp}, when Spring Boot Actuator is present. The health indicator type
 * moved in Spring Boot 4; this class registers Boot 4's, and
 * {@code notify-stomp-autoconfigure-boot3} registers Boot 3.5's.
 */
@AutoConfiguration(after = NotifyStompAutoConfiguration.class)
@ConditionalOnNotifyStompEnabled
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(NotifyTemplate.class)
public class NotifyStompActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	NotifyStompEndpoint notifyStompEndpoint(ClusterNode node, LocalSessions sessions, PresenceRegistry presence,
			NotifyTemplate notifyTemplate, UserBlocks blocks) {
		return new NotifyStompEndpoint(node, sessions, presence, notifyTemplate, blocks);
	}

	@Bean
	@ConditionalOnBean(NotifyStompEndpoint.class)
	NotifyStompEndpointWebExtension notifyStompEndpointWebExtension(NotifyStompEndpoint endpoint) {
		return new NotifyStompEndpointWebExtension(endpoint);
	}

	@Bean
	NotifyStompHealth notifyStompHealth(ClusterNode node, LocalSessions sessions, ListableBeanFactory beanFactory,
			ObjectProvider<NotifyStompHealth.Check> checks) {
		List<SmartLifecycle> messaging = new ArrayList<>();
		for (String name : new String[] { "subProtocolWebSocketHandler", "simpleBrokerMessageHandler" }) {
			if (beanFactory.containsBean(name) && beanFactory.getBean(name) instanceof SmartLifecycle lifecycle) {
				messaging.add(lifecycle);
			}
		}
		return new NotifyStompHealth(node, sessions, messaging, checks.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "notifyStompHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("notifyStomp")
		NotifyStompHealthIndicator notifyStompHealthIndicator(NotifyStompHealth health) {
			return new NotifyStompHealthIndicator(health);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ClusterStatus.class)
	static class ClusterHealthConfiguration {

		@Bean
		ClusterHealthCheck notifyStompClusterHealthCheck(ClusterStatus status, NotifyStompProperties properties) {
			return new ClusterHealthCheck(status, properties.getCluster().getPresenceLease());
		}

	}

}
