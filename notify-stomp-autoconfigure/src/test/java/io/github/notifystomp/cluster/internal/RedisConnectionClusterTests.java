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

import java.util.LinkedHashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways a node finds Redis, on every Spring Boot line: Spring Boot's
 * {@code spring.data.redis.*} settings read by the starter itself (no Spring Data Redis),
 * or the application's own {@link RedissonClient}. Each test points
 * {@code spring.data.redis.*} at the wrong place where it must not be used.
 */
class RedisConnectionClusterTests {

	private static final String NOWHERE = "redis://127.0.0.1:1";

	private final String keyPrefix = RedisServers.freshKeyPrefix();

	@Test
	void whenSpringDataRedisIsAbsentThenNodesConnectWithBootsRedisPropertiesAlone() {
		Map<String, Object> properties = properties(RedisServers.url());
		// both lines' names: without Spring Data Redis, Boot defines no
		// connection details
		properties.put("spring.autoconfigure.exclude",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration");
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties).awaitJoined()) {
			assertThat(a.context().getBeanNamesForType(RedisTarget.class)).isEmpty();
			assertDeliveredAcross(a, b, "props");
		}
	}

	@Test
	void whenTheApplicationDefinesItsOwnRedissonClientThenNodesUseItAndBuildNoOther() {
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties(NOWHERE), OwnRedisson.class).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties(NOWHERE), OwnRedisson.class)
					.awaitJoined()) {
			assertThat(a.context().getBeansOfType(RedissonClient.class)).containsOnlyKeys("applicationRedisson");
			assertDeliveredAcross(a, b, "own");
		}
	}

	static void assertDeliveredAcross(ClusterTestNode sender, ClusterTestNode receiver, String user) {
		try (StompTestClient client = receiver.connect(user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			receiver.awaitUserSubscriptions(user, 1);
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> sender.template().isOnline(user));
			sender.template().sendToUser(user, NotifyMessage.of("text", "across nodes"));
			assertThat(inbox.next().body()).contains("across nodes");
		}
	}

	Map<String, Object> properties(String redisUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", redisUrl);
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		return properties;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRedisson {

		@Bean(destroyMethod = "shutdown")
		RedissonClient applicationRedisson() {
			Config config = new Config();
			config.setCodec(StringCodec.INSTANCE);
			config.useSingleServer().setAddress(RedisServers.url());
			return Redisson.create(config);
		}

	}

}
