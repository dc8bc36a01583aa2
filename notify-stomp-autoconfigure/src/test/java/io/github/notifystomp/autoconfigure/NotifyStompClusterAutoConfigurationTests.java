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

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.notifystomp.cluster.internal.ClusterLifecycle;
import io.github.notifystomp.cluster.internal.ClusterStatus;
import io.github.notifystomp.cluster.internal.RedisClusterRelay;
import io.github.notifystomp.cluster.internal.RedisPresenceRegistry;
import io.github.notifystomp.delivery.ClusterRelay;
import io.github.notifystomp.delivery.internal.DefaultMessageRouter;
import io.github.notifystomp.presence.LocalPresenceRegistry;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.test.BootAutoConfigurations;
import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NotifyStompClusterAutoConfiguration}.
 */
class NotifyStompClusterAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.jackson(), NotifyStompAuthAutoConfiguration.class,
						NotifyStompStoreAutoConfiguration.class, NotifyStompClusterAutoConfiguration.class,
						NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()))
		.withPropertyValues("notify.stomp.cluster.key-prefix=" + RedisServers.freshKeyPrefix());

	@Test
	void whenClusterIsDisabledThenSingleNodeDefaultsStayAndNoRedisClientIsCreated() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(LocalPresenceRegistry.class);
			assertThat(context).hasSingleBean(DefaultMessageRouter.class);
			assertThat(context).doesNotHaveBean(RedissonClient.class);
			assertThat(context).doesNotHaveBean(ClusterLifecycle.class);
		});
	}

	@Test
	void whenClusterIsEnabledThenClientIsBuiltFromSpringDataRedisAndRedisBackendReplacesDefaults() {
		this.contextRunner
			.withPropertyValues("notify.stomp.cluster.enabled=true", "spring.data.redis.url=" + RedisServers.url(),
					"spring.data.redis.client-name=notify-test", "spring.data.redis.timeout=1500ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(RedissonClient.class);
				Config config = context.getBean(RedissonClient.class).getConfig();
				assertThat(config.isLazyInitialization()).isTrue();
				assertThat(config.getCodec()).isInstanceOf(StringCodec.class);
				assertThat(config.useSingleServer().getAddress()).isEqualTo(RedisServers.url());
				assertThat(config.useSingleServer().getClientName()).isEqualTo("notify-test");
				assertThat(config.useSingleServer().getTimeout()).isEqualTo(1500);
				// small pools: a few connections for scripts, one for the relay channels
				assertThat(config.useSingleServer().getConnectionPoolSize()).isEqualTo(8);
				assertThat(config.useSingleServer().getConnectionMinimumIdleSize()).isEqualTo(2);
				assertThat(config.useSingleServer().getSubscriptionConnectionPoolSize()).isEqualTo(2);
				assertThat(config.useSingleServer().getSubscriptionConnectionMinimumIdleSize()).isEqualTo(1);
				assertThat(context.getBean(PresenceRegistry.class)).isInstanceOf(RedisPresenceRegistry.class);
				assertThat(context.getBean(ClusterRelay.class)).isInstanceOf(RedisClusterRelay.class);
				assertThat(context).doesNotHaveBean(LocalPresenceRegistry.class);
				assertThat(context).hasSingleBean(DefaultMessageRouter.class);
				assertThat(context).hasSingleBean(ClusterLifecycle.class);
				assertThat(context).hasSingleBean(ClusterStatus.class);
			});
	}

	@Test
	void whenPoolSizesAreSetThenTheStartersClientUsesThem() {
		this.contextRunner
			.withPropertyValues("notify.stomp.cluster.enabled=true", "spring.data.redis.url=" + RedisServers.url(),
					"notify.stomp.cluster.connection-pool-size=4",
					"notify.stomp.cluster.connection-minimum-idle-size=1",
					"notify.stomp.cluster.subscription-connection-pool-size=3",
					"notify.stomp.cluster.subscription-connection-minimum-idle-size=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Config config = context.getBean(RedissonClient.class).getConfig();
				assertThat(config.useSingleServer().getConnectionPoolSize()).isEqualTo(4);
				assertThat(config.useSingleServer().getConnectionMinimumIdleSize()).isEqualTo(1);
				assertThat(config.useSingleServer().getSubscriptionConnectionPoolSize()).isEqualTo(3);
				assertThat(config.useSingleServer().getSubscriptionConnectionMinimumIdleSize()).isZero();
			});
	}

	@Test
	void whenAPoolSizeIsBadThenStartupFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("notify.stomp.cluster.enabled=true", "spring.data.redis.url=" + RedisServers.url(),
					"notify.stomp.cluster.connection-pool-size=2",
					"notify.stomp.cluster.connection-minimum-idle-size=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("notify.stomp.cluster.connection-minimum-idle-size"));
	}

	@Test
	void whenApplicationDefinesRedissonClientThenItIsUsedAndNoSecondClientIsCreated() {
		this.contextRunner.withUserConfiguration(UserRedissonConfiguration.class)
			.withPropertyValues("notify.stomp.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, RedissonClient> clients = context.getBeansOfType(RedissonClient.class);
				assertThat(clients).containsOnlyKeys("userRedisson");
				assertThat(context.getBean(PresenceRegistry.class)).isInstanceOf(RedisPresenceRegistry.class);
			});
	}

	@Test
	void whenApplicationDefinesPresenceRegistryThenRedisRegistryBacksOff() {
		this.contextRunner.withUserConfiguration(UserRedissonConfiguration.class, UserPresenceConfiguration.class)
			.withPropertyValues("notify.stomp.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(PresenceRegistry.class).isSameAs(context.getBean("userPresence"));
				assertThat(context).doesNotHaveBean(RedisPresenceRegistry.class);
				assertThat(context).hasSingleBean(RedisClusterRelay.class);
			});
	}

	@Test
	void whenRedissonIsMissingThenStartupFailsSayingWhichDependencyToAdd() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.redisson"))
			.withPropertyValues("notify.stomp.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().rootCause().isInstanceOf(RedissonMissingException.class);
				FailureAnalysis analysis = new RedissonMissingFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("notify.stomp.cluster.enabled");
				assertThat(analysis.getAction()).contains("org.redisson:redisson");
			});
	}

	@Test
	void whenRedissonIsMissingButClusterIsOffThenStartupSucceeds() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.redisson"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRedissonConfiguration {

		@Bean(destroyMethod = "shutdown")
		RedissonClient userRedisson() {
			Config config = new Config().setLazyInitialization(true);
			config.useSingleServer().setAddress(RedisServers.url());
			return Redisson.create(config);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPresenceConfiguration {

		@Bean
		PresenceRegistry userPresence() {
			return new LocalPresenceRegistry("user-node");
		}

	}

}
