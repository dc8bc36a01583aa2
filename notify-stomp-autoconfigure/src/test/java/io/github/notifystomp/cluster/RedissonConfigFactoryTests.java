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

package io.github.notifystomp.cluster;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

import org.springframework.boot.autoconfigure.data.redis.RedisProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedissonConfigFactory}: {@code spring.data.redis.*} as Boot reads it,
 * turned into a Redisson configuration.
 */
class RedissonConfigFactoryTests {

	@Test
	void whenUrlIsSetThenItWinsOverHostPortDatabaseAndCredentials() {
		RedisProperties properties = new RedisProperties();
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
	void whenUrlUsesRedissOrSslIsEnabledThenTheAddressUsesTls() {
		RedisProperties byUrl = new RedisProperties();
		byUrl.setUrl("rediss://:token@cache.example.com");
		assertThat(create(byUrl).useSingleServer().getAddress()).isEqualTo("rediss://cache.example.com:6379");
		assertThat(create(byUrl).getPassword()).isEqualTo("token");

		RedisProperties byFlag = new RedisProperties();
		byFlag.setHost("cache.example.com");
		byFlag.getSsl().setEnabled(true);
		assertThat(create(byFlag).useSingleServer().getAddress()).isEqualTo("rediss://cache.example.com:6379");
	}

	@Test
	void whenHostAndPortAreSetThenTheyAreUsed() {
		RedisProperties properties = new RedisProperties();
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
		RedisProperties properties = new RedisProperties();
		RedisProperties.Sentinel sentinel = new RedisProperties.Sentinel();
		sentinel.setMaster("mymaster");
		sentinel.setNodes(List.of("10.0.0.1:26379", "10.0.0.2:26379"));
		sentinel.setPassword("sentinel-secret");
		properties.setSentinel(sentinel);
		RedisProperties.Cluster cluster = new RedisProperties.Cluster();
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
		RedisProperties properties = new RedisProperties();
		RedisProperties.Cluster cluster = new RedisProperties.Cluster();
		cluster.setNodes(List.of("10.0.0.1:7000", "10.0.0.2:7001"));
		properties.setCluster(cluster);

		Config config = create(properties);

		assertThat(config.isClusterConfig()).isTrue();
		assertThat(config.useClusterServers().getNodeAddresses()).containsExactly("redis://10.0.0.1:7000",
				"redis://10.0.0.2:7001");
	}

	@Test
	void whenUrlHasAnotherSchemeThenConfigurationFails() {
		RedisProperties properties = new RedisProperties();
		properties.setUrl("http://redis.example.com");
		assertThatIllegalArgumentException().isThrownBy(() -> create(properties)).withMessageContaining("redis://");
	}

	private static Config create(RedisProperties properties) {
		return RedissonConfigFactory.create(RedissonConfigFactory.connectionDetails(properties, null), properties);
	}

}
