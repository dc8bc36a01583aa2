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

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.delivery.internal.SessionDrain;
import io.github.notifystomp.test.CheckedClient;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.DeliveryChecker;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TcpProxy;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.Traffic;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes that die while messages flow (F7, F9, F14 of the reliability notes), checked with
 * the {@link DeliveryChecker}. The node that dies reaches Redis (and, for F9, its clients
 * reach it) through a {@link TcpProxy}, so that the test can cut it off before closing
 * it: it then leaves no clean state behind, as a crashed process would not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class NodeFailureTests {

	private static final Duration RECOVERY = Duration.ofSeconds(90);

	private static final int REPLAY_LIMIT = 50;

	private final String keyPrefix = RedisServers.freshKeyPrefix();

	private final URI redis = URI.create(RedisServers.url());

	private TestDatabase database;

	private DeliveryChecker checker;

	private ClusterTestNode b;

	private ClusterTestNode c;

	@BeforeAll
	void startNodes() {
		this.database = Databases.postgres();
		this.checker = new DeliveryChecker(this.database.newDataSource(2));
		this.b = ClusterTestNode.start("node-b", properties(RedisServers.url())).awaitJoined();
		this.c = ClusterTestNode.start("node-c", properties(RedisServers.url())).awaitJoined();
	}

	@AfterAll
	void stopNodes() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.b, this.c, this.database }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// closing anyway
			}
		}
	}

	@Test
	void whenANodeDiesBetweenCommitAndRelayThenTheMessagesStillReachTheirUsers(CapturedOutput output) {
		try (TcpProxy redisLink = TcpProxy.to(this.redis.getHost(), this.redis.getPort())) {
			ClusterTestNode a = ClusterTestNode.start("node-a-f7", properties(proxied(redisLink))).awaitJoined();
			List<CheckedClient> clients = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				clients.add(CheckedClient.startAsync("f7-u" + i, (i % 2 == 0) ? this.b.port() : this.c.port()));
			}
			clients.forEach(CheckedClient::awaitSubscribed);
			List<String> users = clients.stream().map(CheckedClient::userId).toList();
			users.forEach((user) -> Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> a.template().isOnline(user)));
			new Traffic(users, 1, (i) -> a.template()).send(20);

			// the commit goes through; right after it, before the relay, the node is cut
			// off and dies
			TransactionTemplate transaction = new TransactionTemplate(
					new DataSourceTransactionManager(a.context().getBean(DataSource.class)));
			List<SendResult> orphans = transaction.execute((status) -> {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCommit() {
						redisLink.cut();
					}

				});
				List<SendResult> results = new ArrayList<>();
				for (String user : users) {
					for (int i = 0; i < 5; i++) {
						results
							.add(a.template().sendToUser(user, NotifyMessage.of("text", "committed, never relayed")));
					}
				}
				return results;
			});
			a.close();
			Traffic after = new Traffic(users, 2, (i) -> (i == 0) ? this.b.template() : this.c.template()).send(20);

			DeliveryChecker.Report report = this.checker.check(clients, List.of(), 10, RECOVERY);

			assertThat(orphans).hasSize(20);
			assertThat(after.failures()).isEmpty();
			assertThat(report.committed()).isEqualTo(60);
			// nobody reconnected: the nodes that hold the users caught them up
			assertThat(clients).allSatisfy((client) -> assertThat(client.connections()).isEqualTo(1));
			assertThat(output).contains("node(s) node-a-f7 left the cluster");
			System.out.println("F7: " + report);
			clients.forEach(CheckedClient::close);
		}
	}

	@Test
	void whenANodeCrashesWithUsersConnectedThenTheyGetEverythingFromAnotherNode() {
		try (TcpProxy redisLink = TcpProxy.to(this.redis.getHost(), this.redis.getPort())) {
			ClusterTestNode a = ClusterTestNode.start("node-a-f9", properties(proxied(redisLink))).awaitJoined();
			TcpProxy clientLink = TcpProxy.to("127.0.0.1", a.port());
			List<CheckedClient> clients = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				clients.add(CheckedClient.startAsync("f9-u" + i, firstThenOthers(clientLink.port())));
			}
			clients.forEach(CheckedClient::awaitSubscribed);
			List<String> users = clients.stream().map(CheckedClient::userId).toList();
			users.forEach((user) -> Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.c.presence().sessionsOf(user).containsKey("node-a-f9")));
			Traffic traffic = new Traffic(users, 2, (i) -> (i == 0) ? this.b.template() : this.c.template());
			traffic.send(30);
			traffic.sendInBackground(150, Duration.ofMillis(10));
			Awaitility.await("background sends under way").atMost(RECOVERY).until(() -> traffic.sent() >= 60);

			clientLink.cut();
			redisLink.cut();
			a.close();
			traffic.await(RECOVERY);

			// its presence entries outlive it until the lease runs out; then routing
			// stops using it
			Awaitility.await("the dead node's presence expires")
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> users.stream()
					.noneMatch((user) -> this.c.presence().sessionsOf(user).containsKey("node-a-f9")));
			DeliveryChecker.Report report = this.checker.check(clients, List.of(), 60, RECOVERY);

			assertThat(traffic.failures()).isEmpty();
			assertThat(report.committed()).isEqualTo(180);
			assertThat(clients).allSatisfy((client) -> assertThat(client.connections()).isGreaterThan(1));
			System.out.println("F9: " + report);
			clients.forEach(CheckedClient::close);
			clientLink.close();
		}
	}

	@Test
	void whenManyClientsReconnectAtOnceThenAllRecoverWithPagedReplays() {
		int count = Integer.getInteger("notify.test.storm.clients", 2000);
		int returning = 10;
		int backlog = 3 * REPLAY_LIMIT - 30;
		ClusterTestNode a = ClusterTestNode.start("node-a-f14", properties(RedisServers.url())).awaitJoined();
		List<CheckedClient> clients = new ArrayList<>(count + returning);
		for (int i = 0; i < count; i++) {
			clients.add(CheckedClient.startAsync("f14-u" + i, firstThenOthers(a.port())));
		}
		Awaitility.await("all clients subscribed")
			.atMost(RECOVERY)
			.until(() -> clients.stream().allMatch(CheckedClient::isSubscribed));
		List<String> users = clients.stream().map(CheckedClient::userId).toList();
		Awaitility.await("every client counted online by the others")
			.atMost(RECOVERY)
			.until(() -> this.c.template().onlineUserCount() >= count);
		new Traffic(users, 3, (i) -> List.of(a, this.b, this.c).get(i).template()).send(count);
		// users who were away: their backlog takes more than two replay pages
		List<String> away = new ArrayList<>();
		for (int i = 0; i < returning; i++) {
			away.add("f14-away" + i);
		}
		new Traffic(away, 2, (i) -> (i == 0) ? this.b.template() : this.c.template()).send(returning * backlog);

		long start = System.nanoTime();
		a.close();
		long closed = System.nanoTime();
		// while they reconnect (each after the random delay the ERROR frame gives), the
		// users who were away come back too, and one more message goes to everybody
		List<CheckedClient> returned = new ArrayList<>();
		away.forEach((user) -> returned.add(CheckedClient.startAsync(user, this.b.port(), this.c.port())));
		new Traffic(users, 2, (i) -> (i == 0) ? this.b.template() : this.c.template()).send(count);
		Awaitility.await("all clients subscribed again")
			.atMost(RECOVERY)
			.until(() -> clients.stream().allMatch((client) -> client.isSubscribed() && client.connections() > 1));
		List<CheckedClient> all = new ArrayList<>(clients);
		all.addAll(returned);
		DeliveryChecker.Report report = this.checker.check(all, List.of(), count, RECOVERY);
		long recovered = System.nanoTime();

		assertThat(report.committed()).isEqualTo(2 * count + returning * backlog);
		assertThat(clients)
			.allSatisfy((client) -> assertThat(client.errors()).containsOnly(SessionDrain.SHUTTING_DOWN));
		// paged: at most one replay limit per SUBSCRIBE, then notify-replay-more
		assertThat(returned).allSatisfy((client) -> {
			assertThat(client.errors()).isEmpty();
			assertThat(client.replayPages()).isEqualTo(backlog / REPLAY_LIMIT);
		});
		System.out.println("F14: " + count + " clients; node closed (drained) in "
				+ Duration.ofNanos(closed - start).toMillis() + " ms; all reconnected and caught up "
				+ Duration.ofNanos(recovered - closed).toMillis() + " ms after; " + report);
		all.forEach(CheckedClient::close);
	}

	// the first connection goes to the given port,
	// later ones to node-b and node-c in turn
	private IntSupplier firstThenOthers(int first) {
		AtomicInteger connections = new AtomicInteger();
		return () -> {
			int n = connections.getAndIncrement();
			if (n == 0) {
				return first;
			}
			return (n % 2 == 0) ? this.b.port() : this.c.port();
		};
	}

	private static String proxied(TcpProxy proxy) {
		return "redis://127.0.0.1:" + proxy.port();
	}

	private Map<String, Object> properties(String redisUrl) {
		Map<String, Object> properties = ClusterTestNode.databaseProperties(this.database);
		properties.put("spring.data.redis.url", redisUrl);
		properties.put("spring.data.redis.timeout", "1s");
		properties.put("spring.data.redis.connect-timeout", "1s");
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		properties.put("notify.stomp.cluster.presence-lease", "3s");
		properties.put("notify.stomp.cluster.publish-timeout", "1s");
		properties.put("notify.stomp.delivery.replay-limit", REPLAY_LIMIT);
		properties.put("notify.stomp.shutdown.reconnect-window", "1s");
		properties.put("notify.stomp.limits.max-sessions-per-user", 2);
		return properties;
	}

}
