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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.notifystomp.test.CheckedClient;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.DeliveryChecker;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.Traffic;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of Redis and of the link to it while stored messages flow between two nodes (F1,
 * F2, F3, F5 of the reliability notes), checked with the {@link DeliveryChecker}: Redis
 * pub/sub loses what it cannot deliver, so each node catches its sessions up from the
 * store once it is back, and no send ever waits for Redis longer than the publish
 * timeout. The clients have no gap timer: every gap must be filled by the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class RedisFaultDeliveryTests {

	private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(1);

	// a generous bound, several times the publish timeout: a send that waits for Redis
	// would take the 3s Redisson timeout times its retries
	private static final Duration SEND_BOUND = PUBLISH_TIMEOUT.multipliedBy(5);

	private static final Duration RECOVERY = Duration.ofSeconds(60);

	// catch-ups skip what reached a session already, and live messages held back during
	// one are dropped when it covered them: repeats are rare, and few
	private static final int MAX_DUPLICATES = 10;

	private static final Pattern CAUGHT_UP = Pattern
		.compile("Caught up (\\d+) subscription\\(s\\) with (\\d+) missed message");

	private final RedisServers.OwnServer redis = RedisServers.ownServer("--enable-debug-command", "yes");

	private final String keyPrefix = RedisServers.freshKeyPrefix();

	private TestDatabase database;

	private DeliveryChecker checker;

	private ClusterTestNode a;

	private ClusterTestNode b;

	@BeforeAll
	void startNodes() {
		this.redis.start();
		this.database = Databases.postgres();
		this.checker = new DeliveryChecker(this.database.newDataSource(2));
		this.a = ClusterTestNode.start("node-a", properties("node-a"));
		this.b = ClusterTestNode.start("node-b", properties("node-b"));
		awaitJoined();
	}

	private boolean frozen;

	@AfterEach
	void redisIsBack() {
		if (this.frozen) {
			this.redis.thaw();
			this.frozen = false;
		}
		if (!this.redis.isRunning()) {
			this.redis.start();
		}
		awaitJoined();
	}

	@AfterAll
	void stopNodes() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.a, this.b, this.redis, this.database }) {
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
	void whenOneNodesPubSubLinkIsCutWhileMessagesFlowThenItCatchesItsSessionsUp(CapturedOutput output) {
		List<CheckedClient> clients = clients("f1", 6, 3);
		Traffic traffic = traffic(clients);
		traffic.send(40);
		traffic.sendInBackground(260, Duration.ofMillis(4));
		// kill node-b's pub/sub connection again and again for a while: Redisson
		// subscribes again each time, and relays published in between are lost
		long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
		int killed = 0;
		while (System.nanoTime() < until) {
			killed += killPubSub("node-b");
			sleep(50);
		}
		traffic.await(RECOVERY);

		DeliveryChecker.Report report = this.checker.check(clients, List.of(), MAX_DUPLICATES, RECOVERY);

		assertThat(killed).as("pub/sub connections of node-b killed").isPositive();
		assertThat(traffic.failures()).isEmpty();
		assertThat(report.committed()).isEqualTo(300);
		assertThat(missedAndCaughtUp(output)).as("relays lost by node-b and caught up from the store").isPositive();
		// what Redisson logs below WARN: the operator learns that relays were lost
		assertThat(output.getOut()).contains("relay channel")
			.contains("subscribed again after the connection to Redis dropped");
		System.out.println("F1: killed " + killed + " pub/sub connection(s); " + report + "; caught up "
				+ missedAndCaughtUp(output) + " message(s)");
		clients.forEach(CheckedClient::close);
	}

	@Test
	void whenRedisRestartsMidTrafficThenSendsNeverFailAndEveryCommittedMessageArrives(CapturedOutput output) {
		List<CheckedClient> clients = clients("f2", 4, 2);
		Traffic traffic = traffic(clients);
		traffic.send(30);
		// slow enough that 40 sends remain once both nodes have noticed the
		// outage: a send does not wait for Redis, and noticing takes a renewal
		// tick or a publish timeout
		traffic.sendInBackground(170, Duration.ofMillis(40));
		Awaitility.await("background sends under way").atMost(RECOVERY).until(() -> traffic.sent() >= 60);
		this.redis.kill();
		Awaitility.await("both nodes notice")
			.atMost(RECOVERY)
			.until(() -> !this.a.status().isRedisReachable() && !this.b.status().isRedisReachable());
		long sentBeforeDown = traffic.sent();
		Awaitility.await("sends while Redis is down")
			.atMost(RECOVERY)
			.until(() -> traffic.sent() >= sentBeforeDown + 40);
		this.redis.start();
		traffic.await(RECOVERY);

		DeliveryChecker.Report report = this.checker.check(clients, List.of(), MAX_DUPLICATES, RECOVERY);

		assertThat(traffic.failures()).isEmpty();
		assertThat(traffic.longest()).isLessThan(SEND_BOUND);
		assertThat(report.committed()).isEqualTo(200);
		System.out.println("F2: " + report + "; longest send " + traffic.longest().toMillis() + " ms; caught up "
				+ missedAndCaughtUp(output) + " message(s)");
		clients.forEach(CheckedClient::close);
	}

	@Test
	void whenRedisIsDownThroughoutThenSendsReturnAndMessagesArriveOnceItIsBack(CapturedOutput output) {
		this.redis.kill();
		Awaitility.await("both nodes notice")
			.atMost(RECOVERY)
			.until(() -> !this.a.status().isRedisReachable() && !this.b.status().isRedisReachable());
		List<CheckedClient> clients = clients("f3", 4, 2, false);
		Traffic traffic = traffic(clients).send(120);
		assertThat(traffic.failures()).isEmpty();
		assertThat(traffic.longest()).isLessThan(SEND_BOUND);

		this.redis.start();
		DeliveryChecker.Report report = this.checker.check(clients, List.of(), MAX_DUPLICATES, RECOVERY);

		assertThat(report.committed()).isEqualTo(120);
		System.out.println("F3: " + report + "; longest send " + traffic.longest().toMillis() + " ms; caught up "
				+ missedAndCaughtUp(output) + " message(s)");
		clients.forEach(CheckedClient::close);
	}

	@Test
	void whenRedisFreezesThenNoSendWaitsLongerThanThePublishTimeoutAndNothingIsLost(CapturedOutput output) {
		List<CheckedClient> clients = clients("f5f", 4, 2);
		Traffic traffic = traffic(clients).send(30);
		this.redis.freeze();
		this.frozen = true;
		traffic.send(90);
		assertThat(traffic.failures()).isEmpty();
		assertThat(traffic.longest()).isLessThan(SEND_BOUND);
		this.redis.thaw();
		this.frozen = false;

		DeliveryChecker.Report report = this.checker.check(clients, List.of(), MAX_DUPLICATES, RECOVERY);

		assertThat(report.committed()).isEqualTo(120);
		System.out.println("F5 (frozen): " + report + "; longest send " + traffic.longest().toMillis()
				+ " ms; caught up " + missedAndCaughtUp(output) + " message(s)");
		clients.forEach(CheckedClient::close);
	}

	@Test
	void whenRedisIsSlowThenNoSendWaitsLongerThanThePublishTimeoutAndNothingIsLost(CapturedOutput output)
			throws Exception {
		List<CheckedClient> clients = clients("f5s", 4, 2);
		Traffic traffic = traffic(clients).send(30);
		// DEBUG SLEEP blocks Redis for every client: slower than the publish timeout
		Thread sleeper = new Thread(() -> RedisServers.call(this.redis.url(), "DEBUG", "SLEEP", "3"));
		sleeper.start();
		Awaitility.await("Redis sleeps")
			.atMost(RECOVERY)
			.until(() -> !RedisServers.answersWithin(this.redis.url(), Duration.ofMillis(200)));
		traffic.send(90);
		sleeper.join(RECOVERY.toMillis());
		assertThat(traffic.failures()).isEmpty();
		assertThat(traffic.longest()).isLessThan(SEND_BOUND);

		DeliveryChecker.Report report = this.checker.check(clients, List.of(), MAX_DUPLICATES, RECOVERY);

		assertThat(report.committed()).isEqualTo(120);
		System.out.println("F5 (slow): " + report + "; longest send " + traffic.longest().toMillis() + " ms; caught up "
				+ missedAndCaughtUp(output) + " message(s)");
		clients.forEach(CheckedClient::close);
	}

	private List<CheckedClient> clients(String prefix, int onB, int onA) {
		return clients(prefix, onB, onA, true);
	}

	private List<CheckedClient> clients(String prefix, int onB, int onA, boolean awaitPresence) {
		List<CheckedClient> clients = new ArrayList<>();
		for (int i = 0; i < onB; i++) {
			clients.add(CheckedClient.startAsync(prefix + "-b" + i, this.b.port()));
		}
		for (int i = 0; i < onA; i++) {
			clients.add(CheckedClient.startAsync(prefix + "-a" + i, this.a.port()));
		}
		clients.forEach(CheckedClient::awaitSubscribed);
		// targeted routing needs the presence of every user on the other node
		for (CheckedClient client : awaitPresence ? clients : List.<CheckedClient>of()) {
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.a.template().isOnline(client.userId())
						&& this.b.template().isOnline(client.userId()));
		}
		return clients;
	}

	private Traffic traffic(List<CheckedClient> clients) {
		return new Traffic(clients.stream().map(CheckedClient::userId).toList(), 2,
				(i) -> (i == 0) ? this.a.template() : this.b.template());
	}

	// the sum of missed messages in the catch-up log lines so far
	private static long missedAndCaughtUp(CapturedOutput output) {
		Matcher matcher = CAUGHT_UP.matcher(output.getOut());
		long missed = 0;
		while (matcher.find()) {
			missed += Long.parseLong(matcher.group(2));
		}
		return missed;
	}

	private int killPubSub(String clientName) {
		String clients = String.valueOf(RedisServers.call(this.redis.url(), "CLIENT", "LIST", "TYPE", "pubsub"));
		int killed = 0;
		for (String line : clients.split("\\r?\\n")) {
			if (line.contains(" name=" + this.keyPrefix + "-" + clientName + " ")) {
				String id = line.replaceFirst("^id=(\\d+) .*", "$1");
				try {
					killed += ((Number) RedisServers.call(this.redis.url(), "CLIENT", "KILL", "ID", id)).intValue();
				}
				catch (RuntimeException ex) {
					// already gone
				}
			}
		}
		return killed;
	}

	private Map<String, Object> properties(String nodeId) {
		Map<String, Object> properties = ClusterTestNode.databaseProperties(this.database);
		properties.put("spring.data.redis.url", this.redis.url());
		properties.put("spring.data.redis.client-name", this.keyPrefix + "-" + nodeId);
		properties.put("spring.data.redis.timeout", "1s");
		properties.put("spring.data.redis.connect-timeout", "1s");
		properties.put("notify.stomp.cluster.key-prefix", this.keyPrefix);
		properties.put("notify.stomp.cluster.presence-lease", "3s");
		properties.put("notify.stomp.cluster.publish-timeout", PUBLISH_TIMEOUT.toMillis() + "ms");
		return properties;
	}

	private void awaitJoined() {
		for (ClusterTestNode node : List.of(this.a, this.b)) {
			Awaitility.await("node " + node.id() + " joins")
				.atMost(RECOVERY)
				.until(() -> node.status().isRedisReachable() && node.status().isSubscribed());
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
