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
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis pub/sub delivers at most once: when Redis drops a node's subscription connection
 * (here because the node stopped reading and its output buffer went over the limit, as
 * with a node that stalls), what was published to the node meanwhile is gone. The node
 * that was to receive the messages counts each one it lost in
 * {@code notify.stomp.messages.dropped{reason=relay-gap}}, from the numbers of the next
 * batch that reaches it, once the gap's grace period has passed (what the dropped
 * connection had received still comes): no loss is silent, and nothing that came is
 * counted. What comes still comes in the order it was sent.
 */
class RelayGapClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	// Redis drops a subscriber whose unsent replies exceed this, at once
	private final RedisServers.OwnServer redis = RedisServers.ownServer("--client-output-buffer-limit",
			"pubsub 256kb 0 0");

	private final String keyPrefix = RedisServers.freshKeyPrefix();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
		this.redis.close();
	}

	@Test
	void whenRedisDropsTheSubscriptionOfANodeThenTheMessagesLostWithItAreCountedAndTheRestComeInOrder()
			throws Exception {
		this.redis.start();
		TcpProxy link = closing(TcpProxy.to("127.0.0.1", this.redis.port()));
		ClusterTestNode a = closing(ClusterTestNode.start("gap-a", properties(this.redis.url())).awaitJoined());
		ClusterTestNode b = closing(
				ClusterTestNode.start("gap-b", properties("redis://127.0.0.1:" + link.port())).awaitJoined());
		UniqueNumbersClient client = new UniqueNumbersClient("gapped");
		client.open(b.port());
		this.closing.add(client::close);
		b.awaitUserSubscriptions("gapped", 1);
		Awaitility.await().atMost(TIMEOUT).until(() -> a.template().isOnline("gapped"));
		int subscribers = subscriberConnections();

		// node-b reads nothing from Redis until Redis has dropped one of its subscription
		// connections: what Redis held for it then is gone
		link.freeze();
		AtomicInteger sent = new AtomicInteger();
		while (subscriberConnections() >= subscribers) {
			assertThat(sent.get()).as("Redis dropped no subscription of node-b").isLessThan(200_000);
			for (int i = 0; i < 1000; i++) {
				send(a, sent.getAndIncrement());
			}
			Awaitility.await().atMost(TIMEOUT).until(() -> a.router().pendingRelays() == 0);
		}
		link.thaw();

		// the numbers of the first batch that reaches node-b again tell it what it missed
		int firstAfterDrop = sent.get();
		Awaitility.await("a message sent after the drop arrives")
			.atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				send(a, sent.getAndIncrement());
				return client.lastNumber() >= firstAfterDrop;
			});
		Awaitility.await("every message arrived or is counted as lost by node-b")
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(client.received() + dropped(b, "relay-gap"))
				.as("received %d, counted as lost %d, %s", client.received(), dropped(b, "relay-gap"),
						client.problems().stream().limit(20).toList())
				.isEqualTo(sent.get()));

		assertThat(client.problems()).isEmpty();
		assertThat(dropped(b, "relay-gap")).isPositive();
		assertThat(dropped(a)).isZero();
	}

	@Test
	void whenRedisStartsAgainWithoutTheCountsThenNothingIsCountedAsLost() throws Exception {
		this.redis.start();
		// a batch gathers what is sent within 50 ms
		Map<String, Object> properties = properties(this.redis.url());
		properties.put("notify.stomp.cluster.relay-batch-delay", "50ms");
		ClusterTestNode a = closing(ClusterTestNode.start("restart-a", properties).awaitJoined());
		ClusterTestNode b = closing(ClusterTestNode.start("restart-b", properties).awaitJoined());
		UniqueNumbersClient client = new UniqueNumbersClient("gapped");
		client.open(b.port());
		this.closing.add(client::close);
		b.awaitUserSubscriptions("gapped", 1);
		Awaitility.await().atMost(TIMEOUT).until(() -> a.template().isOnline("gapped"));
		sendAndAwait(a, client, 0, 50);

		// a Redis that starts again has lost node-a's counts, which start from
		// 0: 45 messages, then a batch of 10 across the 50 that node-b had seen
		// before, then one
		this.redis.kill();
		this.redis.start();
		Awaitility.await("both nodes are back")
			.atMost(TIMEOUT)
			.until(() -> a.status().isRedisReachable() && b.status().isSubscribed() && a.template().isOnline("gapped"));
		sendAndAwait(a, client, 50, 95);
		sendAndAwait(a, client, 95, 105);
		sendAndAwait(a, client, 105, 106);
		// nothing is counted for longer than a gap waits for late messages
		Awaitility.await("no relayed message counted as lost")
			.during(Duration.ofSeconds(12))
			.atMost(Duration.ofSeconds(30))
			.until(() -> dropped(b) == 0);

		assertThat(client.problems()).isEmpty();
		assertThat(dropped(b)).isZero();
	}

	private static void sendAndAwait(ClusterTestNode node, UniqueNumbersClient client, int from, int to) {
		for (int i = from; i < to; i++) {
			send(node, i);
		}
		Awaitility.await("messages up to " + to + " arrive").atMost(TIMEOUT).until(() -> client.received() == to);
	}

	private static void send(ClusterTestNode node, int number) {
		node.template().sendToUser("gapped", NotifyMessage.builder("n").payload(number).transientMessage().build());
	}

	private int subscriberConnections() {
		String clients = (String) RedisServers.call(this.redis.url(), "CLIENT", "LIST", "TYPE", "pubsub");
		return (int) clients.lines().filter((line) -> !line.isBlank()).count();
	}

	private static long dropped(ClusterTestNode node, String reason) {
		return (long) node.context()
			.getBean(MeterRegistry.class)
			.find("notify.stomp.messages.dropped")
			.counters()
			.stream()
			.filter((counter) -> reason == null || reason.equals(counter.getId().getTag("reason")))
			.mapToDouble(Counter::count)
			.sum();
	}

	private static long dropped(ClusterTestNode node) {
		return dropped(node, null);
	}

	private Map<String, Object> properties(String redisUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", redisUrl);
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		properties.put("notify.stomp.store.type", "none");
		// node-b's sessions stay known while it reads nothing from Redis
		properties.put("notify.stomp.cluster.presence-lease", "5m");
		// what Redis had written to node-b's link before the drop arrives at once
		properties.put("notify.stomp.transport.outbound-queue-limit", 200_000);
		properties.put("notify.stomp.transport.send-buffer-size-limit", "256MB");
		return properties;
	}

	private <T extends AutoCloseable> T closing(T closeable) {
		this.closing.add(closeable);
		return closeable;
	}

	/**
	 * Counts the numbers it receives and checks that none comes twice and that each comes
	 * after the ones before it: what a dropped subscription connection had received is
	 * handed over while the new connection's first messages are, side by side, and the
	 * node holds the newer ones back until the late ones have come.
	 */
	private static final class UniqueNumbersClient extends NumberedMessageClient {

		private final BitSet seen = new BitSet();

		private final List<String> problems = new ArrayList<>();

		private volatile int lastNumber = -1;

		UniqueNumbersClient(String user) {
			super(user);
		}

		@Override
		protected synchronized void onNumber(int number) {
			if (this.seen.get(number)) {
				this.problems.add("got " + number + " twice");
			}
			else if (number < this.lastNumber) {
				this.problems.add("got " + number + " after " + this.lastNumber);
			}
			this.seen.set(number);
			this.lastNumber = Math.max(this.lastNumber, number);
		}

		int lastNumber() {
			return this.lastNumber;
		}

		synchronized List<String> problems() {
			return List.copyOf(this.problems);
		}

	}

}
