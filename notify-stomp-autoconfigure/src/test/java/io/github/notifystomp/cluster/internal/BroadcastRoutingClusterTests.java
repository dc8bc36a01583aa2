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

import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code notify.stomp.cluster.routing=broadcast}, the naive design: every user message is
 * published once on the shared channel and every node delivers it to its own sessions of
 * the user. It delivers as targeted routing does, with relay traffic on every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastRoutingClusterTests {

	private ClusterTestNode a;

	private ClusterTestNode b;

	private ClusterTestNode c;

	@BeforeAll
	void startNodes() {
		Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
				"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.cluster.routing",
				"broadcast");
		this.a = ClusterTestNode.start("node-a", properties);
		this.b = ClusterTestNode.start("node-b", properties);
		this.c = ClusterTestNode.start("node-c", properties);
		List.of(this.a, this.b, this.c).forEach(ClusterTestNode::awaitJoined);
	}

	@AfterAll
	void stopNodes() {
		List.of(this.a, this.b, this.c).forEach(ClusterTestNode::close);
	}

	@Test
	void whenUserIsOnNodeBThenMessageFromNodeAReachesItAndEveryOtherNodeSeesTheRelay() {
		try (StompTestClient sue = this.b.connect("sue")) {
			Subscription inbox = sue.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("sue", 1);
			double publishedOnA = this.a.relayPublished();
			double receivedOnB = this.b.relayReceived();
			double receivedOnC = this.c.relayReceived();

			SendResult result = this.a.template().sendToUser("sue", NotifyMessage.of("text", "naive"));

			assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
			inbox.assertNothingWithin(AbstractClusterDeliveryTests.QUIET);
			assertThat(this.a.relayPublished() - publishedOnA).isEqualTo(1);
			assertThat(this.b.relayReceived() - receivedOnB).isEqualTo(1);
			// the uninvolved node gets it too, and drops it: what targeted routing avoids
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.untilAsserted(() -> assertThat(this.c.relayReceived() - receivedOnC).isEqualTo(1));
		}
	}

	@Test
	void whenUserIsOnNodesBAndCThenEachSessionGetsTheMessageOnce() {
		try (StompTestClient onB = this.b.connect("tom"); StompTestClient onC = this.c.connect("tom")) {
			Subscription inboxB = onB.subscribe("/user/queue/notify");
			Subscription inboxC = onC.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("tom", 1);
			this.c.awaitUserSubscriptions("tom", 1);

			SendResult result = this.a.template().sendToUser("tom", NotifyMessage.of("text", "to both"));

			for (Subscription inbox : List.of(inboxB, inboxC)) {
				assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
				inbox.assertNothingWithin(AbstractClusterDeliveryTests.QUIET);
			}
		}
	}

}
