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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes whose Redis is away: they keep serving their own sessions, say so in their
 * status, and rejoin by themselves when Redis answers again. Each test owns its
 * redis-server, so that it can start it late or kill it.
 */
class RedisOutageClusterTests {

	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(40);

	private final RedisServers.OwnServer redis = RedisServers.ownServer();

	private final Map<String, Object> properties = Map.of("spring.data.redis.url", this.redis.url(),
			"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.cluster.presence-lease",
			"3s", "notify.stomp.cluster.publish-timeout", "1s");

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void whenNodeStartsWhileRedisIsDownThenItServesLocalSessionsAndJoinsOnceRedisAnswers() {
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties);
				StompTestClient uma = a.connect("uma")) {
			assertThat(a.status().isRedisReachable()).isFalse();
			Subscription inbox = uma.subscribe("/user/queue/notify");
			a.awaitUserSubscriptions("uma", 1);

			SendResult local = a.template().sendToUser("uma", NotifyMessage.of("text", "without redis"));

			assertThat(inbox.next().header("notify-id")).isEqualTo(local.id());
			assertThat(a.template().isOnline("uma")).isTrue();

			this.redis.start();
			awaitJoined(a);
			try (ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined()) {
				// a registered uma, accepted while Redis was away, by itself
				assertThat(b.presence().sessionsOf("uma")).containsOnly(Map.entry("node-a", 1));

				SendResult relayed = b.template().sendToUser("uma", NotifyMessage.of("text", "through redis"));

				assertThat(inbox.next().header("notify-id")).isEqualTo(relayed.id());
			}
		}
	}

	@Test
	void whenRedisRestartsThenNodesRegisterAgainAndRelaysResume() {
		this.redis.start();
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
				StompTestClient vic = b.connect("vic")) {
			Subscription inbox = vic.subscribe("/user/queue/notify");
			b.awaitUserSubscriptions("vic", 1);
			a.template().sendToUser("vic", NotifyMessage.of("text", "before"));
			assertThat(inbox.next().body()).contains("before");

			this.redis.kill();

			Awaitility.await("a notices that Redis is gone")
				.atMost(JOIN_TIMEOUT)
				.until(() -> !a.status().isRedisReachable());
			assertThat(a.status().lastError()).isNotNull();
			SendResult during = a.template().sendToUser("vic", NotifyMessage.of("text", "during"));
			assertThat(during.id()).isNotNull();

			this.redis.start();
			awaitJoined(a);
			awaitJoined(b);
			// Redis came back empty: b registered vic again by itself
			Awaitility.await().atMost(JOIN_TIMEOUT).until(() -> a.presence().sessionsOf("vic").containsKey("node-b"));
			// pub/sub is at-most-once while Redisson
			// subscribes again: send until one arrives
			Awaitility.await("relays resume").atMost(JOIN_TIMEOUT).pollInterval(Duration.ZERO).untilAsserted(() -> {
				a.template().sendToUser("vic", NotifyMessage.of("text", "after"));
				assertThat(inbox.next(Duration.ofMillis(500)).body()).contains("after");
			});
		}
	}

	@Test
	void whenRedisFreezesUnderTransientTrafficThenEveryRelayedMessageArrivesOrIsCountedAsDropped() {
		this.redis.start();
		Map<String, Object> properties = new HashMap<>(this.properties);
		properties.put("notify.stomp.store.type", "none");
		properties.put("notify.stomp.cluster.relay-queue-limit", 4);
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties).awaitJoined();
				StompTestClient wes = b.connect("wes")) {
			Subscription inbox = wes.subscribe("/user/queue/notify");
			b.awaitUserSubscriptions("wes", 1);
			Awaitility.await().atMost(JOIN_TIMEOUT).until(() -> a.presence().sessionsOf("wes").containsKey("node-b"));
			a.template().sendToUser("wes", NotifyMessage.builder("text").payload("before").transientMessage().build());
			assertThat(inbox.next().body()).contains("before");

			this.redis.freeze();
			int sent = 40;
			for (int i = 0; i < sent; i++) {
				a.template().sendToUser("wes", NotifyMessage.builder("text").payload(i).transientMessage().build());
			}

			// Redis pub/sub is at most once, but never silently: each message arrives or
			// is counted where it was given up
			AtomicInteger received = new AtomicInteger();
			Awaitility.await("every message is delivered or counted")
				.atMost(JOIN_TIMEOUT)
				.until(() -> received.addAndGet(inbox.drain().size()) + relayDrops(a) == sent
						&& a.router().pendingRelays() == 0);
			assertThat(relayDrops(a)).isPositive();
			this.redis.thaw();
		}
	}

	private static double relayDrops(ClusterTestNode node) {
		return node.context()
			.getBean(MeterRegistry.class)
			.find("notify.stomp.messages.dropped")
			.counters()
			.stream()
			.filter((counter) -> counter.getId().getTag("reason").startsWith("relay-"))
			.mapToDouble(Counter::count)
			.sum();
	}

	private static void awaitJoined(ClusterTestNode node) {
		Awaitility.await("node " + node.id() + " joins")
			.atMost(JOIN_TIMEOUT)
			.until(() -> node.status().isRedisReachable() && node.status().isSubscribed());
	}

}
