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
import java.util.LinkedHashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompHeaders;

import io.github.notifystomp.DisconnectResult;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disconnect (a kick, a revoked user) reaches every node also when Redis or a node's
 * link to it is down at that moment: the caller is told when not every node heard it, and
 * every node closes the user's sessions, and refuses the user's reconnects if asked, once
 * the link is back.
 */
class RevocationClusterTests {

	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(40);

	private final RedisServers.OwnServer redis = RedisServers.ownServer();

	private final String keyPrefix = RedisServers.freshKeyPrefix();

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void whenRedisIsDownThenAKickSaysSoAndReachesTheOtherNodesOnceRedisIsBack() {
		this.redis.start();
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties(this.redis.url())).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties(this.redis.url())).awaitJoined();
				StompTestClient wen = b.connect("wen")) {
			Awaitility.await().atMost(JOIN_TIMEOUT).until(() -> a.template().isOnline("wen"));
			this.redis.kill();

			DisconnectResult result = a.template().disconnectUser("wen", Duration.ofMinutes(5));

			assertThat(result.allNodesTold()).isFalse();
			assertThat(result.reconnectsRefusedUntil()).isNotNull();
			assertThat(wen.isConnected()).isTrue();

			this.redis.start();
			awaitJoined(a);
			assertThat(wen.awaitError()).isEqualTo("Disconnected by the server");
			assertThat(refusal(b, "wen")).isEqualTo("Access revoked");

			a.template().allowReconnects("wen");
			Awaitility.await("the block is lifted on node-b")
				.atMost(JOIN_TIMEOUT)
				.untilAsserted(() -> assertThat(
						b.context().getBean(io.github.notifystomp.auth.internal.UserBlocks.class).refusedUntil("wen"))
					.isNull());
			try (StompTestClient again = b.connect("wen")) {
				assertThat(again.isConnected()).isTrue();
			}
		}
	}

	@Test
	void whenANodeIsAwayFromRedisDuringAKickThenItClosesTheUsersSessionsWhenItIsBack() {
		this.redis.start();
		try (TcpProxy link = TcpProxy.to("127.0.0.1", this.redis.port());
				ClusterTestNode a = ClusterTestNode.start("node-a", properties(this.redis.url())).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties("redis://127.0.0.1:" + link.port()))
					.awaitJoined();
				StompTestClient xia = b.connect("xia")) {
			Awaitility.await().atMost(JOIN_TIMEOUT).until(() -> a.template().isOnline("xia"));
			link.cut();
			Awaitility.await("node-b notices").atMost(JOIN_TIMEOUT).until(() -> !b.status().isRedisReachable());

			DisconnectResult result = a.template().disconnectUser("xia", Duration.ofMinutes(5));

			assertThat(result.allNodesTold()).isTrue();
			assertThat(xia.isConnected()).isTrue();

			link.restore();
			awaitJoined(b);
			assertThat(xia.awaitError()).isEqualTo("Disconnected by the server");
			assertThat(refusal(b, "xia")).isEqualTo("Access revoked");
		}
	}

	private static String refusal(ClusterTestNode node, String user) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer valid-" + user);
		try (StompTestClient client = StompTestClient.attempt(node.port(), headers)) {
			return client.awaitError();
		}
	}

	private Map<String, Object> properties(String redisUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", redisUrl);
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		properties.put("notify.stomp.cluster.presence-lease", "3s");
		properties.put("notify.stomp.cluster.publish-timeout", "1s");
		return properties;
	}

	private static void awaitJoined(ClusterTestNode node) {
		Awaitility.await("node " + node.id() + " joins")
			.atMost(JOIN_TIMEOUT)
			.until(() -> node.status().isRedisReachable() && node.status().isSubscribed());
	}

}
