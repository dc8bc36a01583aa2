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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No silent loss (R8 of the attack notes): 100,000 transient messages at a fixed rate,
 * across two nodes, no store and no fault, all arrive, each once. Users are spread over
 * both nodes and both nodes send to every user, so half the messages cross nodes through
 * Redis. The clients only count (by the payload's index), so that the test stays fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransientLoadClusterTests {

	private static final int USERS = 32;

	private static final int DELIVERIES = 100_000;

	// sendToUsers to every user at once: one send is USERS deliveries
	private static final int SENDS = (DELIVERIES + USERS - 1) / USERS;

	// sender threads per node; each sends to every user once per tick: a fixed rate of
	// 2 * 2 * 32 deliveries every 25 ms (5,120/s), 100,000 in about 20 s
	private static final int THREADS = 2;

	private static final int SENDS_PER_TICK = 1;

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private ClusterTestNode a;

	private ClusterTestNode b;

	private final List<CountingClient> clients = new ArrayList<>();

	@BeforeAll
	void startNodes() throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", RedisServers.url());
		properties.put("notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix());
		properties.put("notify.stomp.store.type", "none");
		this.a = ClusterTestNode.start("load-a", properties).awaitJoined();
		this.b = ClusterTestNode.start("load-b", properties).awaitJoined();
		for (int i = 0; i < USERS; i++) {
			ClusterTestNode node = (i % 2 == 0) ? this.a : this.b;
			this.clients.add(CountingClient.open(node.port(), "load-" + i, SENDS));
		}
		for (int i = 0; i < USERS; i++) {
			((i % 2 == 0) ? this.a : this.b).awaitUserSubscriptions("load-" + i, 1);
		}
		List<String> users = users();
		Awaitility.await("every user is online on both nodes")
			.atMost(Duration.ofSeconds(10))
			.until(() -> users.stream()
				.allMatch((user) -> this.a.template().isOnline(user) && this.b.template().isOnline(user)));
	}

	@AfterAll
	void stopNodes() {
		this.clients.forEach(CountingClient::close);
		for (ClusterTestNode node : new ClusterTestNode[] { this.a, this.b }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void whenTransientMessagesAreSentAtAFixedRateAcrossTwoNodesThenAllArriveOnce() throws Exception {
		List<String> users = users();
		long start = System.nanoTime();
		// threads take turns over the indexes, half of them on each node
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		for (int t = 0; t < 2 * THREADS; t++) {
			int first = t;
			ClusterTestNode node = (t % 2 == 0) ? this.a : this.b;
			CompletableFuture<Void> sender = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					send(node, users, first, start);
					sender.complete(null);
				}
				catch (Throwable ex) {
					sender.completeExceptionally(ex);
				}
			}, "r8-sender-" + t);
			thread.start();
			senders.add(sender);
		}
		CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		long sent = System.nanoTime() - start;

		long expected = (long) SENDS * USERS;
		try {
			Awaitility.await("every message arrives")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> received() >= expected);
			// time for late duplicates to show
			Thread.sleep(200);
		}
		finally {
			System.out.println("R8: " + expected + " transient messages sent in " + sent / 1_000_000 + " ms, "
					+ received() + " received in " + (System.nanoTime() - start) / 1_000_000 + " ms; dropped: a "
					+ dropped(this.a) + ", b " + dropped(this.b) + "; relays published " + this.a.relayPublished() + "/"
					+ this.b.relayPublished() + ", received " + this.a.relayReceived() + "/" + this.b.relayReceived());
		}
		for (CountingClient client : this.clients) {
			assertThat(client.missing()).as("indexes that did not reach %s", client.user()).isEmpty();
			assertThat(client.duplicates.get()).as("duplicates at %s", client.user()).isZero();
			assertThat(client.closed).as("%s's connection", client.user()).isNotDone();
		}
		assertThat(received()).isEqualTo(expected);
		assertThat(dropped(this.a) + dropped(this.b)).isZero();
	}

	private static void send(ClusterTestNode node, List<String> users, int first, long start) {
		int tick = 0;
		for (int index = first; index < SENDS; tick++) {
			for (int i = 0; i < SENDS_PER_TICK && index < SENDS; i++, index += 2 * THREADS) {
				node.template()
					.sendToUsers(users, NotifyMessage.builder("n").payload(index).transientMessage().build());
			}
			long next = start + (tick + 1) * TICK_NANOS;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}
	}

	private long received() {
		return this.clients.stream().mapToLong((client) -> client.received()).sum();
	}

	private static double dropped(ClusterTestNode node) {
		return node.context()
			.getBean(MeterRegistry.class)
			.find("notify.stomp.messages.dropped")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static List<String> users() {
		List<String> users = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			users.add("load-" + i);
		}
		return users;
	}

	/**
	 * A STOMP client that subscribes to its user destination and only notes which message
	 * indexes arrived.
	 */
	private static final class CountingClient extends NumberedMessageClient {

		private final BitSet seen;

		private final int expected;

		private final AtomicLong duplicates = new AtomicLong();

		private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

		private CountingClient(String user, int expected) {
			super(user);
			this.expected = expected;
			this.seen = new BitSet(expected);
		}

		static CountingClient open(int port, String user, int expected) throws Exception {
			CountingClient client = new CountingClient(user, expected);
			client.open(port);
			return client;
		}

		@Override
		protected void onNumber(int index) {
			synchronized (this.seen) {
				if (this.seen.get(index)) {
					this.duplicates.incrementAndGet();
				}
				this.seen.set(index);
			}
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.closed.complete(status);
		}

		List<Integer> missing() {
			List<Integer> missing = new ArrayList<>();
			synchronized (this.seen) {
				for (int i = this.seen.nextClearBit(0); i < this.expected; i = this.seen.nextClearBit(i + 1)) {
					missing.add(i);
				}
			}
			return missing;
		}

	}

}
