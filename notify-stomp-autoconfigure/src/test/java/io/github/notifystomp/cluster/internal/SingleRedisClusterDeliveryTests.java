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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompHeaders;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery contract against one Redis server, plus presence across nodes: the session
 * limit and the online count hold cluster-wide, presence follows sessions, a kick reaches
 * every node, and foreign messages on the relay channels are dropped.
 */
class SingleRedisClusterDeliveryTests extends AbstractClusterDeliveryTests {

	@Override
	Map<String, Object> startRedis() {
		return Map.of("spring.data.redis.url", RedisServers.url());
	}

	@Test
	void whenLastSessionOfUserOnNodeBEndsThenNoMoreRelaysGoToB() {
		try (StompTestClient ivy = this.b.connect("ivy")) {
			Subscription inbox = ivy.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("ivy", 1);
			this.a.template().sendToUser("ivy", NotifyMessage.of("text", "first"));
			assertThat(inbox.next().body()).contains("first");
		}
		Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.a.presence().sessionsOf("ivy").isEmpty());
		double publishedOnA = this.a.relayPublished();
		double receivedOnB = this.b.relayReceived();

		this.a.template().sendToUser("ivy", NotifyMessage.of("text", "second"));

		assertThat(this.a.relayPublished() - publishedOnA).isZero();
		assertThat(this.b.relayReceived() - receivedOnB).isZero();
		assertThat(this.a.template().isOnline("ivy")).isFalse();
	}

	@Test
	void whenUserIsOnTwoNodesThenOnlineCountCountsItOnce() {
		try (StompTestClient jon1 = this.a.connect("jon");
				StompTestClient jon2 = this.b.connect("jon");
				StompTestClient kim = this.c.connect("kim")) {
			for (ClusterTestNode node : List.of(this.a, this.b, this.c)) {
				Awaitility.await()
					.atMost(StompTestClient.TIMEOUT)
					.untilAsserted(() -> assertThat(node.template().onlineUserCount()).isEqualTo(2));
				assertThat(node.template().isOnline("jon")).isTrue();
				assertThat(node.template().isOnline("kim")).isTrue();
			}
			assertThat(this.c.presence().sessionsOf("jon")).containsOnly(Map.entry("node-a", 1),
					Map.entry("node-b", 1));
			assertThat(this.c.template().localOnlineUserCount()).isEqualTo(1);
		}
	}

	@Test
	void whenSessionsAreSpreadOverNodesThenTheSessionLimitHoldsClusterWide() {
		try (StompTestClient onA = this.a.connect("lea");
				StompTestClient onB = this.b.connect("lea");
				StompTestClient onC = this.c.connect("lea")) {
			for (ClusterTestNode node : List.of(this.a, this.b, this.c)) {
				try (StompTestClient fourth = StompTestClient.attempt(node.port(), headers("valid-lea"))) {
					assertThat(fourth.awaitError()).isEqualTo("Too many sessions for this user");
				}
			}
			onC.close();
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.a.presence()
					.sessionsOf("lea")
					.values()
					.stream()
					.mapToInt(Integer::intValue)
					.sum() == 2);
			try (StompTestClient again = this.a.connect("lea")) {
				assertThat(again.isConnected()).isTrue();
			}
		}
	}

	@Test
	void whenEveryNodeCountsSessionsThenSessionsPerNodeListsThemAll() {
		try (StompTestClient onA = this.a.connect("max"); StompTestClient onC = this.c.connect("max")) {
			Awaitility.await().atMost(StompTestClient.TIMEOUT).untilAsserted(() -> {
				Map<String, Integer> perNode = this.b.presence().sessionsPerNode();
				assertThat(perNode).containsKeys("node-a", "node-b", "node-c");
				assertThat(perNode.get("node-a")).isPositive();
				assertThat(perNode.get("node-c")).isPositive();
			});
		}
	}

	@Test
	void whenUserIsDisconnectedOnNodeAThenItsSessionsOnOtherNodesClose() {
		try (StompTestClient onB = this.b.connect("ned"); StompTestClient onC = this.c.connect("ned")) {
			this.a.template().disconnectUser("ned");

			assertThat(onB.awaitError()).isEqualTo(RedisClusterRelay.DISCONNECT_TEXT);
			assertThat(onC.awaitError()).isEqualTo(RedisClusterRelay.DISCONNECT_TEXT);
			onB.awaitClosed();
			onC.awaitClosed();
		}
	}

	@Test
	void whenForeignMessagesArePublishedOnRelayChannelsThenTheyAreDroppedAndCountedAndDeliveryGoesOn()
			throws IOException {
		try (StompTestClient oli = this.b.connect("oli")) {
			Subscription inbox = oli.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("oli", 1);
			RedisKeys keys = new RedisKeys(this.keyPrefix);
			String url = RedisServers.url();
			double dropped = this.b.relayDropped();
			double malformed = this.b.relayDropped("malformed");

			publish(url, keys.inbox("node-b"), "hello");
			publish(url, keys.inbox("node-b"), javaSerialized());
			publish(url, keys.inbox("node-b"), "NR3\nuser\nevil\n\n\n\n\n\n\n\n");
			publish(url, keys.broadcast(), "NR2\nexec\nevil\n\n\n\n\n\n\n\n");
			// a payload that would break out of the MESSAGE body
			publish(url, keys.inbox("node-b"),
					"NR2\nuser\nevil\noli\nx1\ntext\n\n0\n1767225600000000000\n\n1,\"seq\":99");
			// valid, but for another user: it must not reach oli
			publish(url, keys.inbox("node-b"), "NR2\nuser\nevil\npam\nx2\ntext\n\n0\n1767225600000000000\n\n{}");

			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.untilAsserted(() -> assertThat(this.b.relayDropped() - dropped).isEqualTo(5));
			assertThat(this.b.relayDropped("malformed") - malformed).isEqualTo(3);
			assertThat(this.b.relayDropped("unsupported-version")).isPositive();
			assertThat(this.b.relayDropped("unknown-kind")).isPositive();
			inbox.assertNothingWithin(QUIET);

			SendResult result = this.a.template().sendToUser("oli", NotifyMessage.of("text", "still works"));

			assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
			inbox.assertNothingWithin(QUIET);
		}
	}

	private static void publish(String url, String channel, Object message) {
		RedisServers.call(url, "PUBLISH", channel, message);
	}

	private static byte[] javaSerialized() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new Date());
		}
		return bytes.toByteArray();
	}

	private static StompHeaders headers(String token) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + token);
		return headers;
	}

}
