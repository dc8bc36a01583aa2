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

package io.github.notifystomp.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes (application contexts on random ports) sharing one PostgreSQL store,
 * without cluster mode: sequence numbers stay strictly increasing when every node sends
 * to the same user at once, and a user who reconnects to another node replays what they
 * missed from the shared store.
 */
class MultiNodeStoreIntegrationTests {

	private static TestDatabase database;

	private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@BeforeAll
	static void startNodes() {
		database = Databases.postgres();
		for (int i = 0; i < 3; i++) {
			List<String> properties = new ArrayList<>(List.of(database.springPropertiesCreatingTheSchema()));
			properties.add("server.port=0");
			properties.add("notify.stomp.cluster.node-id=node-" + i);
			properties.add("spring.jmx.enabled=false");
			nodes.add(new SpringApplicationBuilder(TestApplication.class).properties(properties.toArray(String[]::new))
				.run());
		}
	}

	@AfterAll
	static void stopNodes() {
		nodes.forEach(ConfigurableApplicationContext::close);
		nodes.clear();
		if (database != null) {
			database.close();
		}
	}

	@Test
	void whenEveryNodeUsesTheSharedJdbcStoreThenItIsTheSameDatabase() {
		for (ConfigurableApplicationContext node : nodes) {
			assertThat(node.getBean(NotifyStore.class)).isInstanceOf(JdbcNotifyStore.class);
		}
	}

	@Test
	void whenAUserReconnectsToAnotherNodeThenNotifySinceReplaysExactlyWhatTheyMissed() {
		String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);
		long lastSeen;
		try (StompTestClient phone = StompTestClient.connect(port(0), "valid-" + user)) {
			Subscription inbox = phone.subscribe("/user/queue/notify", Map.of("ack", "client-individual"));
			awaitSubscribed(0, user);
			for (int i = 0; i < 5; i++) {
				template(0).sendToUser(user, NotifyMessage.of("text", "online " + i));
			}
			List<Frame> frames = inbox.next(5);
			frames.forEach(phone::ack);
			lastSeen = frames.get(4).seq();
			String lastId = frames.get(4).id();
			// an ACK on node 0 is visible to every node
			await().until(() -> store(2).find(user, lastId).isDelivered());
		}
		List<String> sentWhileOffline = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			sentWhileOffline.add(template(1 + i % 2).sendToUser(user, NotifyMessage.of("text", "offline " + i)).id());
		}

		try (StompTestClient laptop = StompTestClient.connect(port(1), "valid-" + user)) {
			Subscription inbox = laptop.subscribe("/user/queue/notify",
					Map.of("notify-since", String.valueOf(lastSeen), "ack", "client-individual"));

			List<Frame> replayed = inbox.next(100);

			assertThat(replayed).extracting(Frame::seq)
				.containsExactlyElementsOf(LongStream.rangeClosed(lastSeen + 1, lastSeen + 100).boxed().toList());
			assertThat(replayed).extracting(Frame::id).containsExactlyElementsOf(sentWhileOffline);
			inbox.assertNothingWithin(Duration.ofMillis(500));
			SendResult live = template(1).sendToUser(user, NotifyMessage.of("text", "live on node 1"));
			assertThat(inbox.next().id()).isEqualTo(live.id());
		}
	}

	@Test
	void whenThreeNodesSendToOneUserAtOnceThenSeqsAreStrictlyIncreasingWithoutGaps() throws Exception {
		String user = "hot-" + UUID.randomUUID().toString().substring(0, 8);
		int perNode = 40;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(nodes.size());
		List<Future<List<Long>>> futures = new ArrayList<>();
		for (int node = 0; node < nodes.size(); node++) {
			int index = node;
			futures.add(executor.submit(() -> {
				start.await();
				List<Long> seqs = new ArrayList<>();
				TransactionTemplate transaction = nodes.get(index).getBean(TransactionTemplate.class);
				for (int i = 0; i < perNode; i++) {
					NotifyMessage message = NotifyMessage.of("text", "node " + index + " #" + i);
					// half inside transactions of that node, half on their own
					seqs.add((i % 2 == 0)
							? transaction.execute((status) -> template(index).sendToUser(user, message)).seq()
							: template(index).sendToUser(user, message).seq());
				}
				return seqs;
			}));
		}
		start.countDown();
		List<Long> all = new ArrayList<>();
		try {
			for (Future<List<Long>> future : futures) {
				List<Long> seqs = future.get(60, TimeUnit.SECONDS);
				assertThat(seqs).isSorted().doesNotHaveDuplicates();
				all.addAll(seqs);
			}
		}
		finally {
			executor.shutdownNow();
		}

		int total = perNode * nodes.size();
		assertThat(all).doesNotHaveDuplicates();
		assertThat(new TreeSet<>(all)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
		assertThat(store(0).findAfter(user, 0, 1000)).extracting(StoredMessage::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
		try (StompTestClient client = StompTestClient.connect(port(2), "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			assertThat(inbox.next(total)).extracting(Frame::seq)
				.containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
		}
	}

	@Test
	void whenAMessageIsNackedThenItIsSentAgainLongBeforeTheAckTimeout() {
		// the nodes keep the default ACK timeout
		// (30s): a prompt second copy is the NACK's
		String user = "nick-" + UUID.randomUUID().toString().substring(0, 8);
		try (StompTestClient client = StompTestClient.connect(port(0), "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("ack", "client-individual"));
			awaitSubscribed(0, user);
			SendResult result = template(0).sendToUser(user, NotifyMessage.of("text", "nack me"));
			Frame frame = inbox.next();

			client.nack(frame);

			Frame again = inbox.next();
			assertThat(again.id()).isEqualTo(result.id());
			assertThat(again.header("notify-redelivered")).isEqualTo("true");
			assertThat(store(1).find(user, result.id()).isDelivered()).isFalse();
			client.ack(again);
			await().until(() -> store(1).find(user, result.id()).isDelivered());
		}
	}

	private static int port(int node) {
		return TestHttp.port(nodes.get(node));
	}

	private static NotifyTemplate template(int node) {
		return nodes.get(node).getBean(NotifyTemplate.class);
	}

	private static NotifyStore store(int node) {
		return nodes.get(node).getBean(NotifyStore.class);
	}

	private static void awaitSubscribed(int node, String user) {
		LocalSessions sessions = nodes.get(node).getBean(LocalSessions.class);
		await().until(() -> sessions.sessionsOf(user).stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
	}

}
