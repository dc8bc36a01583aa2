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

import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How presence follows nodes that come and go: a clean shutdown removes a node's entries
 * at once; a node that stops renewing (frozen, cut off, killed) stops counting when its
 * lease runs out, and routing stops sending to it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterNodeLifecycleTests {

	private final Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
			"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.cluster.presence-lease",
			"2s");

	@Test
	void whenNodeContextClosesThenItsPresenceIsRemovedAtOnce() {
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties).awaitJoined()) {
			ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
			try (StompTestClient quinn = b.connect("quinn")) {
				assertThat(a.presence().sessionsOf("quinn")).containsOnly(Map.entry("node-b", 1));
				Awaitility.await()
					.atMost(StompTestClient.TIMEOUT)
					.until(() -> a.presence().sessionsPerNode().containsKey("node-b"));

				b.close();

				// no waiting for the lease: the closing node removed its entries itself
				assertThat(a.presence().sessionsOf("quinn")).isEmpty();
				assertThat(a.presence().sessionsPerNode()).containsOnlyKeys("node-a");
				assertThat(a.template().onlineUserCount()).isZero();
				assertThat(a.template().isOnline("quinn")).isFalse();
			}
		}
	}

	@Test
	void whenNodeStopsRenewingThenRoutesToItStopOnceTheLeaseRunsOut() {
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
				StompTestClient rob = b.connect("rob")) {
			Subscription inbox = rob.subscribe("/user/queue/notify");
			b.awaitUserSubscriptions("rob", 1);
			a.template().sendToUser("rob", NotifyMessage.of("text", "while b renews"));
			assertThat(inbox.next().body()).contains("while b renews");

			b.lifecycle().stopRenewing();

			Awaitility.await("b's lease runs out")
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> a.presence().sessionsOf("rob").isEmpty());
			assertThat(a.presence().sessionsPerNode()).doesNotContainKey("node-b");
			assertThat(a.template().isOnline("rob")).isFalse();
			double publishedOnA = a.relayPublished();
			double receivedOnB = b.relayReceived();

			a.template().sendToUser("rob", NotifyMessage.of("text", "after the lease"));

			assertThat(a.relayPublished() - publishedOnA).isZero();
			inbox.assertNothingWithin(AbstractClusterDeliveryTests.QUIET);
			assertThat(b.relayReceived() - receivedOnB).isZero();
		}
	}

	@Test
	void whenTwoRunningNodesShareANodeIdThenTheySaySo(CapturedOutput output) {
		try (ClusterTestNode first = ClusterTestNode.start("twin", this.properties).awaitJoined();
				ClusterTestNode second = ClusterTestNode.start("twin", this.properties).awaitJoined()) {
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.untilAsserted(() -> assertThat(output).contains("another running node uses the node id twin"));
		}
	}

}
