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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relays published in batches: many messages from several sender threads on two or three
 * nodes to users on all of them arrive each once and, per sender and user, in the order
 * sent; the nodes do publish batches; a lone message goes out without more traffic behind
 * it; and a maximum batch size of 1 publishes every message alone, as nodes before
 * batching expect.
 */
class RelayBatchingClusterTests {

	private static final int USERS = 12;

	private static final int ROUNDS = 400;

	// sender threads per node
	private static final int THREADS = 2;

	private final List<ClusterTestNode> nodes = new ArrayList<>();

	private final List<OrderClient> clients = new ArrayList<>();

	@AfterEach
	void stop() {
		this.clients.forEach(OrderClient::close);
		this.nodes.forEach(ClusterTestNode::close);
	}

	@Test
	void whenSeveralThreadsOnTwoNodesSendToUsersOnBothThenEachMessageArrivesOnceAndInOrder() throws Exception {
		String prefix = RedisServers.freshKeyPrefix();
		ClusterTestNode a = start("batch-a", prefix, "5ms", 256);
		ClusterTestNode b = start("batch-b", prefix, "5ms", 256);
		AtomicLong batches = countBatches(a, prefix, "batch-a", "batch-b");
		List<String> users = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			String user = "order-" + i;
			users.add(user);
			// even users on a, odd ones on b, and the first two on both
			connect((i % 2 == 0) ? a : b, user);
			if (i < 2) {
				connect((i % 2 == 0) ? b : a, user);
			}
		}
		Awaitility.await("every user is online on both nodes")
			.atMost(Duration.ofSeconds(10))
			.until(() -> users.stream()
				.allMatch((user) -> a.template().isOnline(user) && b.template().isOnline(user)
						&& a.presence().sessionsOf(user).size() == ((users.indexOf(user) < 2) ? 2 : 1)));

		send(List.of(a, b), 2 * THREADS, ROUNDS, users);

		Awaitility.await("every message arrives")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.clients.stream().allMatch((client) -> client.received() >= 2L * THREADS * ROUNDS));
		awaitNoLateDuplicate(2L * THREADS * ROUNDS);
		for (OrderClient client : this.clients) {
			assertThat(client.problems).as("order problems at %s", client.user()).isEmpty();
			assertThat(client.received()).as("messages at %s", client.user()).isEqualTo(2L * THREADS * ROUNDS);
		}
		assertThat(a.relayDropped() + b.relayDropped()).isZero();
		assertThat(batches.get()).as("relays that carried a batch").isPositive();
	}

	@Test
	void whenThreeNodesSendFromSeveralThreadsToUsersOnEveryNodeThenEachMessageArrivesOnceAndInOrder() throws Exception {
		String prefix = RedisServers.freshKeyPrefix();
		List<ClusterTestNode> cluster = List.of(start("three-a", prefix, "1ms", 256),
				start("three-b", prefix, "1ms", 256), start("three-c", prefix, "1ms", 256));
		List<String> users = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			users.add("three-" + i);
			connect(cluster.get(i % 3), "three-" + i);
		}
		Awaitility.await("every user is online on every node")
			.atMost(Duration.ofSeconds(10))
			.until(() -> users.stream()
				.allMatch((user) -> cluster.stream().allMatch((node) -> node.template().isOnline(user))));

		// three threads a node: six of every nine messages cross nodes
		send(cluster, 3 * 3, ROUNDS / 2, users);

		long expected = 3L * 3 * (ROUNDS / 2);
		Awaitility.await("every message arrives")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.clients.stream().allMatch((client) -> client.received() >= expected));
		awaitNoLateDuplicate(expected);
		for (OrderClient client : this.clients) {
			assertThat(client.problems).as("order problems at %s", client.user()).isEmpty();
			assertThat(client.received()).as("messages at %s", client.user()).isEqualTo(expected);
		}
		assertThat(cluster.stream().mapToDouble(ClusterTestNode::relayDropped).sum()).isZero();
		assertThat(cluster.stream().mapToDouble(ClusterTestNode::relayReceived).sum())
			.as("relays received: the messages to users on other nodes")
			.isEqualTo(expected * USERS * 2 / 3);
	}

	@Test
	void whenOneMessageIsSentAloneThenItArrivesWithoutFurtherTraffic() throws Exception {
		String prefix = RedisServers.freshKeyPrefix();
		ClusterTestNode a = start("lone-a", prefix, "100ms", 256);
		ClusterTestNode b = start("lone-b", prefix, "100ms", 256);
		OrderClient client = connect(b, "lonely");
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.template().isOnline("lonely"));

		a.template().sendToUser("lonely", NotifyMessage.builder("n").payload(0).transientMessage().build());

		Awaitility.await("the lone message arrives").atMost(Duration.ofSeconds(10)).until(() -> client.received() == 1);
		assertThat(client.problems).isEmpty();
		assertThat(a.router().pendingRelays()).isZero();
	}

	@Test
	void whenTheMaximumBatchSizeIsOneThenEveryMessageIsPublishedAlone() throws Exception {
		String prefix = RedisServers.freshKeyPrefix();
		ClusterTestNode a = start("single-a", prefix, "5ms", 1);
		ClusterTestNode b = start("single-b", prefix, "5ms", 1);
		AtomicLong batches = countBatches(a, prefix, "single-b");
		OrderClient client = connect(b, "single");
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.template().isOnline("single"));

		for (int i = 0; i < 200; i++) {
			a.template().sendToUser("single", NotifyMessage.builder("n").payload(i).transientMessage().build());
		}

		Awaitility.await("every message arrives").atMost(Duration.ofSeconds(30)).until(() -> client.received() == 200);
		assertThat(client.problems).isEmpty();
		assertThat(batches.get()).isZero();
	}

	// every client keeps the expected count for a while: a late duplicate would show
	private void awaitNoLateDuplicate(long expected) {
		Awaitility.await("no late duplicate")
			.during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.clients.stream().allMatch((client) -> client.received() == expected));
	}

	private ClusterTestNode start(String id, String prefix, String delay, int maxBatchSize) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.url", RedisServers.url());
		properties.put("notify.stomp.cluster.key-prefix", prefix);
		properties.put("notify.stomp.store.type", "none");
		// this test is about relays: the clients may fall behind a burst
		properties.put("notify.stomp.transport.outbound-queue-limit", 20_000);
		properties.put("notify.stomp.transport.send-buffer-size-limit", "64MB");
		properties.put("notify.stomp.cluster.relay-batch-delay", delay);
		properties.put("notify.stomp.cluster.relay-max-batch-size", maxBatchSize);
		ClusterTestNode node = ClusterTestNode.start(id, properties).awaitJoined();
		this.nodes.add(node);
		return node;
	}

	private OrderClient connect(ClusterTestNode node, String user) throws Exception {
		int before = node.sessions().sessionCount(user);
		OrderClient client = OrderClient.open(node.port(), user);
		this.clients.add(client);
		node.awaitUserSubscriptions(user, before + 1);
		return client;
	}

	// what Redis carries to the nodes' inboxes, seen by a subscriber of the test's own
	private static AtomicLong countBatches(ClusterTestNode node, String prefix, String... nodeIds) throws Exception {
		AtomicLong batches = new AtomicLong();
		RedisKeys keys = new RedisKeys(prefix);
		RedissonClient redisson = node.context().getBean(RedissonClient.class);
		for (String nodeId : nodeIds) {
			RTopic topic = redisson.getTopic(keys.inbox(nodeId), StringCodec.INSTANCE);
			topic.addListenerAsync(String.class, (channel, message) -> {
				if (RelayBatches.isBatch(message)) {
					batches.incrementAndGet();
				}
			}).toCompletableFuture().get(10, TimeUnit.SECONDS);
		}
		return batches;
	}

	/**
	 * A STOMP client that checks that the messages of each sender arrive in the order
	 * sent (payload: sender times a million plus the round), each once.
	 */
	// sender threads taking the nodes in turn; each sends its rounds to every user, with
	// payload sender * 1,000,000 + round so that a client can check their order
	private static void send(List<ClusterTestNode> nodes, int senderCount, int rounds, List<String> users)
			throws Exception {
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(senderCount);
		for (int t = 0; t < senderCount; t++) {
			ClusterTestNode node = nodes.get(t % nodes.size());
			int sender = t;
			senders.add(CompletableFuture.runAsync(() -> {
				for (int round = 0; round < rounds; round++) {
					for (String user : users) {
						node.template()
							.sendToUser(user,
									NotifyMessage.builder("n")
										.payload(sender * 1_000_000 + round)
										.transientMessage()
										.build());
					}
				}
			}, threads));
		}
		try {
			CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdown();
		}
	}

	private static final class OrderClient extends NumberedMessageClient {

		private final Map<Integer, Integer> next = new LinkedHashMap<>();

		private final List<String> problems = new ArrayList<>();

		private OrderClient(String user) {
			super(user);
		}

		static OrderClient open(int port, String user) throws Exception {
			OrderClient client = new OrderClient(user);
			client.open(port);
			return client;
		}

		// the payload is sender * 1,000,000 + round: rounds of one sender come in order
		@Override
		protected void onNumber(int value) {
			int sender = value / 1_000_000;
			int round = value % 1_000_000;
			synchronized (this.next) {
				int expected = this.next.getOrDefault(sender, 0);
				if (round != expected) {
					this.problems.add("sender " + sender + ": got " + round + ", expected " + expected);
				}
				this.next.put(sender, round + 1);
			}
		}

	}

}
