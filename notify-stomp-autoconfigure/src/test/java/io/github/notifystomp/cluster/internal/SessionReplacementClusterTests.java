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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.delivery.internal.SessionTracker;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code close-oldest} session limit policy across nodes: a CONNECT beyond the limit
 * closes the user's longest-connected session wherever it is, also when none of the
 * user's sessions is on the node the CONNECT reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionReplacementClusterTests {

	private ClusterTestNode a;

	private ClusterTestNode b;

	@BeforeAll
	void startNodes() {
		Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
				"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(),
				"notify.stomp.auth.max-sessions-per-user", 2);
		this.a = ClusterTestNode.start("node-a", properties);
		this.b = ClusterTestNode.start("node-b", properties);
		List.of(this.a, this.b).forEach(ClusterTestNode::awaitJoined);
	}

	@AfterAll
	void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { this.a, this.b }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void whenAllOfTheUsersSessionsAreOnAnotherNodeThenAConnectHereReplacesTheOldestThere() {
		try (StompTestClient oldest = this.a.connect("uma");
				StompTestClient newer = connectAfter(this.a, "uma", 1);
				StompTestClient newest = this.b.connect("uma")) {
			assertThat(newest.isConnected()).isTrue();
			assertThat(oldest.awaitError()).isEqualTo(SessionTracker.SESSION_REPLACED);
			oldest.awaitClosed();
			awaitSessions("uma", Map.of("node-a", 1, "node-b", 1));
			assertBothGetAMessage("uma", newer, newest);
		}
	}

	@Test
	void whenTheOldestSessionIsOnAnotherNodeThenItIsReplacedRatherThanOneOnThisNode() {
		try (StompTestClient oldest = this.b.connect("vic");
				StompTestClient newer = connectAfter(this.a, "vic", 1);
				StompTestClient newest = this.a.connect("vic")) {
			assertThat(oldest.awaitError()).isEqualTo(SessionTracker.SESSION_REPLACED);
			oldest.awaitClosed();
			awaitSessions("vic", Map.of("node-a", 2));
			assertBothGetAMessage("vic", newer, newest);
		}
	}

	@Test
	void whenTheOldestSessionIsOnThisNodeThenItIsReplacedThoughAnotherNodeHoldsANewerOne() {
		try (StompTestClient oldest = this.a.connect("wes");
				StompTestClient newer = connectAfter(this.b, "wes", 1);
				StompTestClient newest = this.a.connect("wes")) {
			assertThat(oldest.awaitError()).isEqualTo(SessionTracker.SESSION_REPLACED);
			oldest.awaitClosed();
			awaitSessions("wes", Map.of("node-a", 1, "node-b", 1));
			assertBothGetAMessage("wes", newer, newest);
		}
	}

	// connect once the user's earlier sessions count in presence, so that the connect
	// order is the order of the calls
	private StompTestClient connectAfter(ClusterTestNode node, String userId, int earlier) {
		Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> this.a.presence()
				.sessionsOf(userId)
				.values()
				.stream()
				.mapToInt(Integer::intValue)
				.sum() == earlier);
		return node.connect(userId);
	}

	private void awaitSessions(String userId, Map<String, Integer> perNode) {
		Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.untilAsserted(() -> assertThat(this.a.presence().sessionsOf(userId)).isEqualTo(perNode));
	}

	private void assertBothGetAMessage(String userId, StompTestClient... clients) {
		List<Subscription> inboxes = new ArrayList<>();
		for (StompTestClient client : clients) {
			inboxes.add(client.subscribe("/user/queue/notify"));
		}
		for (ClusterTestNode node : List.of(this.a, this.b)) {
			node.awaitUserSubscriptions(userId, node.sessions().sessionCount(userId));
		}
		SendResult result = this.b.template().sendToUser(userId, NotifyMessage.of("text", "still here"));
		for (Subscription inbox : inboxes) {
			assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
		}
	}

}
