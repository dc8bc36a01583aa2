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

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's Redis connection details (what a Testcontainers or Docker Compose service
 * connection defines) win over {@code spring.data.redis.*}, as for Boot's own Redis
 * client. The details type differs between Spring Boot lines: each line's tests extend
 * this with a configuration that defines it.
 */
abstract class AbstractConnectionDetailsClusterTests {

	/**
	 * Return a configuration that defines the line's Redis connection details, naming
	 * {@link #redis()}.
	 * @return the configuration class
	 */
	abstract Class<?> serviceConnection();

	static URI redis() {
		return URI.create(RedisServers.url());
	}

	@Test
	void whenConnectionDetailsSayWhereRedisIsThenTheStartersClientConnectsThere() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", "redis://127.0.0.1:1");
		properties.put("notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix());
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties, serviceConnection()).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties, serviceConnection()).awaitJoined()) {
			assertThat(a.context().getBean(RedisTarget.class).nodes())
				.containsExactly(new RedisTarget.Node(redis().getHost(), redis().getPort()));
			RedisConnectionClusterTests.assertDeliveredAcross(a, b, "details");
		}
	}

}
