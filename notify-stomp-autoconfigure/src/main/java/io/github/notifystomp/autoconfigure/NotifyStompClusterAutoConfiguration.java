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

import java.time.Clock;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.notifystomp.auth.TicketRedemptions;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.cluster.internal.ClusterLifecycle;
import io.github.notifystomp.cluster.internal.ClusterStatus;
import io.github.notifystomp.cluster.internal.DataRedisConnectionDetailsTarget;
import io.github.notifystomp.cluster.internal.RedisClusterRelay;
import io.github.notifystomp.cluster.internal.RedisPresenceRegistry;
import io.github.notifystomp.cluster.internal.RedisTarget;
import io.github.notifystomp.cluster.internal.RedisTicketRedemptions;
import io.github.notifystomp.cluster.internal.RedissonConfigFactory;
import io.github.notifystomp.cluster.internal.SpringDataRedisProperties;
import io.github.notifystomp.delivery.internal.DeliveryTasks;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.ClusterNode;
import io.github.notifystomp.presence.PresenceRegistry;

/**
 * Auto-configuration for delivery across nodes through Redis, when
 * {@code notify.stomp.cluster.enabled} is {@code true}. Uses the application's
 * {@link RedissonClient} when there is one, and otherwise builds one from
 * {@code spring.data.redis.*}. Runs before the core auto-configuration, whose single-node
 * presence registry and cluster relay then back off.
 */
@AutoConfiguration(before = NotifyStompAutoConfiguration.class,
		afterName = { "org.redisson.spring.starter.RedissonAutoConfigurationV4",
				"org.redisson.spring.starter.RedissonAutoConfigurationV2",
				"org.redisson.spring.starter.RedissonAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@ConditionalOnBooleanProperty("notify.stomp.cluster.enabled")
@EnableConfigurationProperties(NotifyStompProperties.class)
@Import({ NotifyStompClusterAutoConfiguration.RedissonMissingConfiguration.class,
		NotifyStompClusterAutoConfiguration.RedisClusterConfiguration.class,
		NotifyStompClusterAutoConfiguration.DataRedisConnectionDetailsConfiguration.class })
public class NotifyStompClusterAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.redisson.api.RedissonClient")
	static class RedissonMissingConfiguration {

		@Bean
		Object notifyClusterRequiresRedisson() {
			throw new RedissonMissingException();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.redisson.api.RedissonClient")
	static class RedisClusterConfiguration {

		@Bean(destroyMethod = "shutdown")
		@ConditionalOnMissingBean(RedissonClient.class)
		RedissonClient notifyRedissonClient(Environment environment, ObjectProvider<RedisTarget> fromConnectionDetails,
				ObjectProvider<SslBundles> sslBundles, NotifyStompProperties notifyProperties) {
			SpringDataRedisProperties properties = SpringDataRedisProperties.of(environment);
			RedisTarget target = fromConnectionDetails
				.getIfAvailable(() -> RedisTarget.of(properties, sslBundles.getIfAvailable()));
			NotifyStompProperties.Cluster cluster = notifyProperties.getCluster();
			return Redisson.create(RedissonConfigFactory.create(target, properties,
					new RedissonConfigFactory.Pools(cluster.getConnectionPoolSize(),
							cluster.getConnectionMinimumIdleSize(), cluster.getSubscriptionConnectionPoolSize(),
							cluster.getSubscriptionConnectionMinimumIdleSize())));
		}

		@Bean
		ClusterStatus notifyClusterStatus(ClusterNode node) {
			return new ClusterStatus(node.id());
		}

		@Bean
		@ConditionalOnMissingBean(PresenceRegistry.class)
		RedisPresenceRegistry notifyPresenceRegistry(RedissonClient redisson, ClusterNode node, ClusterStatus status,
				NotifyStompProperties properties) {
			NotifyStompProperties.Cluster cluster = properties.getCluster();
			return new RedisPresenceRegistry(redisson, cluster.getKeyPrefix(), node.id(), cluster.getPresenceLease(),
					cluster.getPublishTimeout(), status);
		}

		// the relay of a cluster is always Redis's: the lifecycle keeps its channels
		@Bean
		RedisClusterRelay notifyClusterRelay(RedissonClient redisson, ClusterNode node, LocalSessions sessions,
				PresenceRegistry presence, ObjectProvider<RedisPresenceRegistry> redisPresence, ClusterStatus status,
				NotifyMetrics metrics, PayloadJson payloadJson, UserBlocks blocks, NotifyStompProperties properties) {
			NotifyStompProperties.Cluster cluster = properties.getCluster();
			// a relay carries the payload as an escaped
			// JSON string: allow for the escapes
			long maxRelayLength = 2 * properties.getLimits().getMaxPayloadSize().toBytes() + 16 * 1024;
			return new RedisClusterRelay(redisson, node.id(), sessions, presence, redisPresence.getIfAvailable(),
					status, metrics, payloadJson, blocks,
					new RedisClusterRelay.Settings(cluster.getKeyPrefix(),
							cluster.getRouting() == NotifyStompProperties.Cluster.Routing.TARGETED,
							cluster.getPublishTimeout(), (int) Math.min(Integer.MAX_VALUE, maxRelayLength),
							cluster.getRelaySecret(), cluster.getRelayQueueLimit(), cluster.getRelayBatchDelay(),
							cluster.getRelayMaxBatchSize()));
		}

		// a CONNECT ticket used on one node is refused on every other
		@Bean
		@ConditionalOnMissingBean(TicketRedemptions.class)
		@ConditionalOnBooleanProperty("notify.stomp.auth.ticket.enabled")
		RedisTicketRedemptions notifyTicketRedemptions(RedissonClient redisson, NotifyStompProperties properties) {
			NotifyStompProperties.Cluster cluster = properties.getCluster();
			return new RedisTicketRedemptions(redisson, cluster.getKeyPrefix(), cluster.getPublishTimeout(),
					Clock.systemUTC());
		}

		@Bean
		ClusterLifecycle notifyClusterLifecycle(RedissonClient redisson, ClusterStatus status, LocalSessions sessions,
				ObjectProvider<RedisPresenceRegistry> presence, RedisClusterRelay relay, DeliveryTasks tasks,
				NotifyStompProperties properties) {
			NotifyStompProperties.Cluster cluster = properties.getCluster();
			// no Redis presence when the application replaced the registry
			return new ClusterLifecycle(redisson, status, sessions, presence.getIfAvailable(), relay, tasks.scheduler(),
					new ClusterLifecycle.Settings(cluster.getKeyPrefix(), cluster.getPresenceLease(),
							cluster.getPublishTimeout()));
		}

	}

	/**
	 * Spring Boot 4's Redis connection details, when it defines them (Spring Data Redis
	 * is present, or a service connection): the starter's own client then connects where
	 * they say. {@code notify-stomp-autoconfigure-boot3} does the same on Boot 3.5.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.redisson.api.RedissonClient",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails" })
	@ConditionalOnBean(DataRedisConnectionDetails.class)
	@ConditionalOnMissingBean(RedissonClient.class)
	static class DataRedisConnectionDetailsConfiguration {

		@Bean
		RedisTarget notifyRedisTarget(DataRedisConnectionDetails details, Environment environment) {
			return DataRedisConnectionDetailsTarget.of(details, SpringDataRedisProperties.of(environment).isUrlTls());
		}

	}

}
