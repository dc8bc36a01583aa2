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

package io.github.notifystomp.cluster.internal;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedissonConfigFactory}: {@code spring.data.redis.*} as Boot reads it,
 * turned into a Redisson configuration.
 */
class RedissonConfigFactoryTests {

	@Test
	void whenUrlIsSetThenItWinsOverHostPortDatabaseAndCredentials() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setUrl("redis://app:s3cret@redis.example.com:6380/4");
		properties.setHost("ignored");
		properties.setPassword("ignored");
		properties.setTimeout(Duration.ofMillis(1500));
		properties.setConnectTimeout(Duration.ofMillis(700));
		properties.setClientName("orders");

		Config config = create(properties);

		assertThat(config.isSingleConfig()).isTrue();
		assertThat(config.useSingleServer().getAddress()).isEqualTo("redis://redis.example.com:6380");
		assertThat(config.useSingleServer().getDatabase()).isEqualTo(4);
		assertThat(config.getUsername()).isEqualTo("app");
		assertThat(config.getPassword()).isEqualTo("s3cret");
		assertThat(config.useSingleServer().getTimeout()).isEqualTo(1500);
		assertThat(config.useSingleServer().getConnectTimeout()).isEqualTo(700);
		assertThat(config.useSingleServer().getClientName()).isEqualTo("orders");
		assertThat(config.isLazyInitialization()).isTrue();
	}

	@Test
	void whenTheClientIsBuiltThenItPingsCommandConnectionsOnlyAndUsesTcpKeepalive() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setHost("redis.example.com");

		Config config = create(properties);

		// a PING on a subscription connection can lose a relay that arrives meanwhile
		assertThat(config.useSingleServer().getPingConnectionInterval()).isPositive();
		assertThat(config.getNettyHook()).isInstanceOf(NoPingOnSubscriptions.class);
		assertThat(config.isTcpKeepAlive()).isTrue();
		assertThat(config.getTcpKeepAliveIdle()).isPositive();
		assertThat(config.getTcpKeepAliveInterval()).isPositive();
		assertThat(config.getTcpKeepAliveCount()).isPositive();
	}

	@Test
	void whenUrlUsesRedissOrSslIsEnabledThenTheAddressUsesTls() {
		SpringDataRedisProperties byUrl = new SpringDataRedisProperties();
		byUrl.setUrl("rediss://:token@cache.example.com");
		assertThat(create(byUrl).useSingleServer().getAddress()).isEqualTo("rediss://cache.example.com:6379");
		assertThat(create(byUrl).getPassword()).isEqualTo("token");

		SpringDataRedisProperties byFlag = new SpringDataRedisProperties();
		byFlag.setHost("cache.example.com");
		byFlag.getSsl().setEnabled(true);
		assertThat(create(byFlag).useSingleServer().getAddress()).isEqualTo("rediss://cache.example.com:6379");
	}

	@Test
	void whenHostAndPortAreSetThenTheyAreUsed() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setHost("::1");
		properties.setPort(6400);
		properties.setDatabase(2);
		properties.setUsername("u");
		properties.setPassword("p");

		Config config = create(properties);

		assertThat(config.useSingleServer().getAddress()).isEqualTo("redis://[::1]:6400");
		assertThat(config.useSingleServer().getDatabase()).isEqualTo(2);
		assertThat(config.getUsername()).isEqualTo("u");
		assertThat(config.getPassword()).isEqualTo("p");
	}

	@Test
	void whenSentinelIsConfiguredThenItWinsOverClusterAndSingleServer() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		SpringDataRedisProperties.Sentinel sentinel = new SpringDataRedisProperties.Sentinel();
		sentinel.setMaster("mymaster");
		sentinel.setNodes(List.of("10.0.0.1:26379", "10.0.0.2:26379"));
		sentinel.setPassword("sentinel-secret");
		properties.setSentinel(sentinel);
		SpringDataRedisProperties.Cluster cluster = new SpringDataRedisProperties.Cluster();
		cluster.setNodes(List.of("10.0.0.9:7000"));
		properties.setCluster(cluster);
		properties.setDatabase(1);

		Config config = create(properties);

		assertThat(config.isSentinelConfig()).isTrue();
		assertThat(config.useSentinelServers().getMasterName()).isEqualTo("mymaster");
		assertThat(config.useSentinelServers().getSentinelAddresses()).containsExactly("redis://10.0.0.1:26379",
				"redis://10.0.0.2:26379");
		assertThat(config.useSentinelServers().getSentinelPassword()).isEqualTo("sentinel-secret");
		assertThat(config.useSentinelServers().getDatabase()).isEqualTo(1);
	}

	@Test
	void whenClusterIsConfiguredThenEveryNodeIsASeed() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		SpringDataRedisProperties.Cluster cluster = new SpringDataRedisProperties.Cluster();
		cluster.setNodes(List.of("10.0.0.1:7000", "10.0.0.2:7001"));
		properties.setCluster(cluster);

		Config config = create(properties);

		assertThat(config.isClusterConfig()).isTrue();
		assertThat(config.useClusterServers().getNodeAddresses()).containsExactly("redis://10.0.0.1:7000",
				"redis://10.0.0.2:7001");
	}

	@Test
	void whenPoolsAreGivenThenEveryTopologyGetsThem() {
		RedissonConfigFactory.Pools pools = new RedissonConfigFactory.Pools(5, 1, 3, 0);
		SpringDataRedisProperties single = new SpringDataRedisProperties();
		single.setUrl("redis://redis.example.com:6379");
		Config singleConfig = RedissonConfigFactory.create(RedisTarget.of(single, null), single, pools);
		assertThat(singleConfig.useSingleServer().getConnectionPoolSize()).isEqualTo(5);
		assertThat(singleConfig.useSingleServer().getConnectionMinimumIdleSize()).isEqualTo(1);
		assertThat(singleConfig.useSingleServer().getSubscriptionConnectionPoolSize()).isEqualTo(3);
		assertThat(singleConfig.useSingleServer().getSubscriptionConnectionMinimumIdleSize()).isZero();

		SpringDataRedisProperties clustered = new SpringDataRedisProperties();
		SpringDataRedisProperties.Cluster cluster = new SpringDataRedisProperties.Cluster();
		cluster.setNodes(List.of("10.0.0.1:7000"));
		clustered.setCluster(cluster);
		Config clusterConfig = RedissonConfigFactory.create(RedisTarget.of(clustered, null), clustered, pools);
		assertThat(clusterConfig.useClusterServers().getMasterConnectionPoolSize()).isEqualTo(5);
		assertThat(clusterConfig.useClusterServers().getMasterConnectionMinimumIdleSize()).isEqualTo(1);
		assertThat(clusterConfig.useClusterServers().getSlaveConnectionPoolSize()).isEqualTo(5);
		assertThat(clusterConfig.useClusterServers().getSubscriptionConnectionPoolSize()).isEqualTo(3);
		assertThat(clusterConfig.useClusterServers().getSubscriptionConnectionMinimumIdleSize()).isZero();
	}

	@Test
	void whenNoPoolsAreGivenThenTheyAreSmall() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setUrl("redis://redis.example.com:6379");
		Config config = create(properties);
		assertThat(config.useSingleServer().getConnectionPoolSize()).isEqualTo(8);
		assertThat(config.useSingleServer().getConnectionMinimumIdleSize()).isEqualTo(2);
		assertThat(config.useSingleServer().getSubscriptionConnectionPoolSize()).isEqualTo(2);
		assertThat(config.useSingleServer().getSubscriptionConnectionMinimumIdleSize()).isEqualTo(1);
	}

	@Test
	void whenUrlHasAnotherSchemeThenConfigurationFails() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setUrl("http://redis.example.com");
		assertThatIllegalArgumentException().isThrownBy(() -> create(properties)).withMessageContaining("redis://");
	}

	@Test
	void whenMasterReplicaNodesAreSetThenRedissonFindsTheMasterAmongThem() {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		SpringDataRedisProperties.Masterreplica masterReplica = new SpringDataRedisProperties.Masterreplica();
		masterReplica.setNodes(List.of("10.0.0.1:6379", "10.0.0.2:6379"));
		properties.setMasterreplica(masterReplica);

		Config config = create(properties);

		assertThat(config.isSingleConfig() || config.isClusterConfig() || config.isSentinelConfig()).isFalse();
		assertThat(config.useReplicatedServers().getNodeAddresses()).containsExactly("redis://10.0.0.1:6379",
				"redis://10.0.0.2:6379");
	}

	@Test
	void whenPropertiesAreBoundFromTheEnvironmentThenBootsKeysAreRead() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.host", "cache")
			.withProperty("spring.data.redis.port", "6390")
			.withProperty("spring.data.redis.client-name", "orders")
			.withProperty("spring.data.redis.ssl.enabled", "true")
			.withProperty("spring.data.redis.sentinel.master", "main")
			.withProperty("spring.data.redis.sentinel.nodes", "10.0.0.1:26379,10.0.0.2:26379");

		SpringDataRedisProperties properties = SpringDataRedisProperties.of(environment);

		assertThat(properties.getHost()).isEqualTo("cache");
		assertThat(properties.getPort()).isEqualTo(6390);
		assertThat(properties.getClientName()).isEqualTo("orders");
		assertThat(properties.getSsl().isEnabled()).isTrue();
		assertThat(create(properties).useSentinelServers().getSentinelAddresses())
			.containsExactly("rediss://10.0.0.1:26379", "rediss://10.0.0.2:26379");
		assertThat(SpringDataRedisProperties.of(new MockEnvironment()).getPort()).isEqualTo(6379);
	}

	private static Config create(SpringDataRedisProperties properties) {
		return RedissonConfigFactory.create(RedisTarget.of(properties, null), properties);
	}

}
