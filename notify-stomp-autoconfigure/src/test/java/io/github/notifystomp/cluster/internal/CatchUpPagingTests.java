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
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catch-up the server starts on its own (after Redis froze, relays were lost) pages
 * through the missed messages by itself: a client that never follows
 * {@code notify-replay-more} (it did not ask for the catch-up) still gets every missed
 * and every later live message. A CONNECT meanwhile never waits for Redis longer than the
 * publish timeout.
 */
class CatchUpPagingTests {

	private static final int REPLAY_LIMIT = 5;

	private static final Duration RECOVERY = Duration.ofSeconds(60);

	private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void whenRedisFreezesThenTheCatchUpPagesByItselfAndAClientThatIgnoresReplayMoreLosesNothingLive() {
		String user = "r11-ignores-replay-more";
		try (RedisServers.OwnServer redis = RedisServers.ownServer("--enable-debug-command", "yes");
				TestDatabase database = Databases.postgres()) {
			redis.start();
			String keyPrefix = RedisServers.freshKeyPrefix();
			try (ClusterTestNode a = ClusterTestNode.start("node-a", properties(redis, database, keyPrefix));
					ClusterTestNode b = ClusterTestNode.start("node-b", properties(redis, database, keyPrefix));
					StompTestClient client = b.connect(user)) {
				a.awaitJoined();
				b.awaitJoined();
				// ack auto and notify-since: the server knows its position; it never
				// subscribes again, whatever a frame says
				Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
				Awaitility.await().atMost(RECOVERY).until(() -> a.template().isOnline(user));
				send(a, user, 2);
				assertThat(inbox.next(2)).extracting(Frame::seq).containsExactly(1L, 2L);

				redis.freeze();
				try {
					// the first CONNECT after the freeze, before the node knows: it waits
					// for Redis, but not longer than the publish timeout
					long start = System.nanoTime();
					try (StompTestClient during = b.connect("r11-connects-during-freeze")) {
						assertThat(during.isConnected()).isTrue();
					}
					Duration connect = Duration.ofNanos(System.nanoTime() - start);
					System.out.println("R11: a CONNECT during the freeze took " + connect.toMillis() + " ms");
					assertThat(connect).isLessThan(PUBLISH_TIMEOUT);
					// relays from node-a are lost; node-b's own sends arrive live, past
					// the gap
					send(a, user, 4 * REPLAY_LIMIT);
					send(b, user, 3);
				}
				finally {
					redis.thaw();
				}
				for (ClusterTestNode node : List.of(a, b)) {
					Awaitility.await("node " + node.id() + " is back")
						.atMost(RECOVERY)
						.until(() -> node.status().isRedisReachable() && node.status().isSubscribed());
				}
				Awaitility.await().atMost(RECOVERY).until(() -> a.template().isOnline(user));
				// live messages after the freeze, on both nodes: they must not wait
				// behind a catch-up page the client never continues
				for (int i = 0; i < 10; i++) {
					send((i % 2 == 0) ? a : b, user, 1);
				}

				long total = 2 + 4 * REPLAY_LIMIT + 3 + 10;
				TreeSet<Long> seqs = new TreeSet<>(List.of(1L, 2L));
				long deadline = System.nanoTime() + RECOVERY.toNanos();
				while (seqs.size() < total && System.nanoTime() < deadline) {
					Frame frame;
					try {
						frame = inbox.next(Duration.ofSeconds(20));
					}
					catch (AssertionError ex) {
						throw new AssertionError("received only " + seqs, ex);
					}
					assertThat(frame.header("notify-replay-more")).as("a catch-up asks the client for nothing")
						.isNull();
					seqs.add(frame.seq());
				}
				assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
			}
		}
	}

	private static void send(ClusterTestNode node, String user, int count) {
		for (int i = 0; i < count; i++) {
			node.template().sendToUser(user, NotifyMessage.of("text", "message " + i));
		}
	}

	private static Map<String, Object> properties(RedisServers.OwnServer redis, TestDatabase database,
			String keyPrefix) {
		Map<String, Object> properties = ClusterTestNode.databaseProperties(database);
		properties.put("spring.data.redis.url", redis.url());
		properties.put("spring.data.redis.timeout", "1s");
		properties.put("spring.data.redis.connect-timeout", "1s");
		properties.put("notify.stomp.cluster.key-prefix", keyPrefix);
		properties.put("notify.stomp.cluster.presence-lease", "3s");
		properties.put("notify.stomp.cluster.publish-timeout", PUBLISH_TIMEOUT.toMillis() + "ms");
		properties.put("notify.stomp.delivery.replay-limit", REPLAY_LIMIT);
		return properties;
	}

}
