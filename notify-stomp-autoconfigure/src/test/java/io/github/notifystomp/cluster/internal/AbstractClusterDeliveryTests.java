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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery contract of the Redis relay, run by every kind of Redis deployment: three
 * nodes in one JVM, real STOMP clients, one real Redis (a single server or a Redis
 * Cluster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractClusterDeliveryTests {

	static final Duration QUIET = Duration.ofMillis(500);

	final String keyPrefix = RedisServers.freshKeyPrefix();

	ClusterTestNode a;

	ClusterTestNode b;

	ClusterTestNode c;

	/**
	 * Start (or find) Redis and return the properties that point a node at it.
	 */
	abstract Map<String, Object> startRedis();

	void stopRedis() {
	}

	Map<String, Object> nodeProperties() {
		// the session limit refuses here: the tests check that it holds cluster-wide
		return Map.of("notify.stomp.limits.max-sessions-per-user", 3, "notify.stomp.auth.session-limit-policy",
				"reject-new");
	}

	@BeforeAll
	void startNodes() {
		Map<String, Object> properties = new LinkedHashMap<>(startRedis());
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		properties.putAll(nodeProperties());
		this.a = ClusterTestNode.start("node-a", properties);
		this.b = ClusterTestNode.start("node-b", properties);
		this.c = ClusterTestNode.start("node-c", properties);
		List.of(this.a, this.b, this.c).forEach(ClusterTestNode::awaitJoined);
	}

	@AfterAll
	void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { this.a, this.b, this.c }) {
			if (node != null) {
				node.close();
			}
		}
		stopRedis();
	}

	@Test
	void whenUserIsOnNodeBThenMessageSentOnNodeAReachesIt() {
		try (StompTestClient bob = this.b.connect("bob")) {
			Subscription inbox = bob.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("bob", 1);

			SendResult result = this.a.template().sendToUser("bob", NotifyMessage.of("text", Map.of("hello", "bob")));

			Frame frame = inbox.next();
			assertThat(frame.header("notify-id")).isEqualTo(result.id());
			assertThat(frame.header("notify-type")).isEqualTo("text");
			assertThat(frame.header("notify-seq")).isEqualTo(String.valueOf(result.seq()));
			assertThat(frame.body()).contains("\"hello\":\"bob\"").contains("\"id\":\"" + result.id() + "\"");
			inbox.assertNothingWithin(QUIET);
		}
	}

	@Test
	void whenUserIsOnNodesBAndCThenEachSessionGetsTheMessageOnce() {
		try (StompTestClient onB = this.b.connect("carol"); StompTestClient onC = this.c.connect("carol")) {
			Subscription inboxB = onB.subscribe("/user/queue/notify");
			Subscription inboxC = onC.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("carol", 1);
			this.c.awaitUserSubscriptions("carol", 1);
			double published = this.a.relayPublished();

			SendResult result = this.a.template().sendToUser("carol", NotifyMessage.of("text", "to both"));

			for (Subscription inbox : List.of(inboxB, inboxC)) {
				assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
				inbox.assertNothingWithin(QUIET);
			}
			// one relay per node that holds the user, not per session, not per node
			assertThat(this.a.relayPublished() - published).isEqualTo(2);
		}
	}

	@Test
	void whenBroadcastOnNodeAThenUsersOnEveryNodeGetItOnce() {
		try (StompTestClient dan = this.a.connect("dan");
				StompTestClient erin = this.b.connect("erin");
				StompTestClient fay = this.c.connect("fay")) {
			List<Subscription> topics = List.of(dan.subscribe("/topic/notify"), erin.subscribe("/topic/notify"),
					fay.subscribe("/topic/notify"));
			List.of(this.a, this.b, this.c).forEach((node) -> node.awaitBroadcastSubscriptions(1));
			double published = this.a.relayPublished();

			SendResult result = this.a.template().broadcast(NotifyMessage.of("news", "hello all"));

			for (Subscription topic : topics) {
				Frame frame = topic.next();
				assertThat(frame.header("notify-id")).isEqualTo(result.id());
				assertThat(frame.body()).contains("\"payload\":\"hello all\"");
				topic.assertNothingWithin(QUIET);
			}
			assertThat(this.a.relayPublished() - published).isEqualTo(1);
		}
	}

	@Test
	void whenUserIsOnlyOnNodeBThenNodeCReceivesNoRelay() {
		try (StompTestClient gus = this.b.connect("gus")) {
			Subscription inbox = gus.subscribe("/user/queue/notify");
			this.b.awaitUserSubscriptions("gus", 1);
			double publishedOnA = this.a.relayPublished();
			double receivedOnB = this.b.relayReceived();
			double receivedOnC = this.c.relayReceived();

			this.a.template().sendToUser("gus", NotifyMessage.of("text", "only B"));

			inbox.next();
			inbox.assertNothingWithin(QUIET);
			assertThat(this.a.relayPublished() - publishedOnA).isEqualTo(1);
			assertThat(this.b.relayReceived() - receivedOnB).isEqualTo(1);
			assertThat(this.c.relayReceived() - receivedOnC).isZero();
		}
	}

	@Test
	void whenUserHasTwoSessionsOnNodeBThenBGetsOneRelayAndBothSessionsTheMessage() {
		try (StompTestClient phone = this.b.connect("ivy"); StompTestClient laptop = this.b.connect("ivy")) {
			List<Subscription> inboxes = List.of(phone.subscribe("/user/queue/notify"),
					laptop.subscribe("/user/queue/notify"));
			this.b.awaitUserSubscriptions("ivy", 2);
			double publishedOnA = this.a.relayPublished();
			double receivedOnB = this.b.relayReceived();

			SendResult result = this.a.template().sendToUser("ivy", NotifyMessage.of("text", "two devices"));

			for (Subscription inbox : inboxes) {
				assertThat(inbox.next().header("notify-id")).isEqualTo(result.id());
				inbox.assertNothingWithin(QUIET);
			}
			assertThat(this.a.relayPublished() - publishedOnA).isEqualTo(1);
			assertThat(this.b.relayReceived() - receivedOnB).isEqualTo(1);
		}
	}

	@Test
	void whenNobodyElseHoldsTheUserThenNothingIsPublished() {
		try (StompTestClient hal = this.a.connect("hal")) {
			Subscription inbox = hal.subscribe("/user/queue/notify");
			this.a.awaitUserSubscriptions("hal", 1);
			double published = this.a.relayPublished();

			this.a.template().sendToUser("hal", NotifyMessage.of("text", "local"));
			this.a.template().sendToUser("nobody-online", NotifyMessage.of("text", "stored only"));

			assertThat(inbox.next().body()).contains("local");
			assertThat(this.a.relayPublished() - published).isZero();
		}
	}

}
