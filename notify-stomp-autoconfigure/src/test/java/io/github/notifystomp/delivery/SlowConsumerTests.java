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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.CheckedClient;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.DeliveryChecker;
import io.github.notifystomp.test.NonReadingClient;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A client that stops reading (F12, S38 of the reliability notes): its bounded outbox
 * fills, it is closed as a slow consumer, the sender and the other sessions never wait
 * for it, and its stored messages are replayed when it comes back.
 */
@NotifyStompServerTest(properties = { "notify.stomp.transport.outbound-queue-limit=50",
		"notify.stomp.transport.send-buffer-size-limit=256KB", "notify.stomp.transport.send-time-limit=5s",
		"spring.jmx.enabled=false" })
class SlowConsumerTests {

	private static final int OUTBOX_LIMIT = 50;

	private static final TestDatabase database = Databases.postgres();

	// 400 messages of 20 KB: more than the kernel buffers of a loopback connection hold
	private static final int MESSAGES = 400;

	private static final String LARGE = "x".repeat(20_000);

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		for (String property : database.springPropertiesCreatingTheSchema()) {
			int equals = property.indexOf('=');
			registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Test
	void whenAClientStopsReadingThenOnlyItIsClosedAndItsMessagesAreReplayedWhenItComesBack() throws Exception {
		String slow = "slow-" + UUID.randomUUID().toString().substring(0, 8);
		String steady = "steady-" + UUID.randomUUID().toString().substring(0, 8);
		double closedBefore = slowConsumersClosed();
		try (NonReadingClient frozen = NonReadingClient.connect(this.port, "valid-" + slow, 4096);
				StompTestClient other = StompTestClient.connect(this.port, "valid-" + steady)) {
			frozen.subscribe("sub-0", "/user/queue/notify");
			Subscription inbox = other.subscribe("/user/queue/notify");
			awaitSubscribed(slow);
			awaitSubscribed(steady);
			AtomicInteger mostQueued = new AtomicInteger();

			// the sender never waits for the frozen client
			assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
				for (int i = 0; i < MESSAGES; i++) {
					this.notifyTemplate.sendToUser(slow, NotifyMessage.of("text", LARGE));
					this.notifyTemplate.sendToUser(steady, NotifyMessage.of("text", "small " + i));
					mostQueued.accumulateAndGet(this.sessions.pendingOutbound(), Math::max);
				}
			});

			// nor does anybody else
			List<StompTestClient.Frame> frames = inbox.next(MESSAGES);
			assertThat(frames.get(MESSAGES - 1).body()).contains("small " + (MESSAGES - 1));
			Awaitility.await("the frozen client is closed")
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionCount(slow) == 0);
			assertThat(this.sessions.sessionCount(steady)).isEqualTo(1);
			assertThat(slowConsumersClosed() - closedBefore).isOne();
			// bounded: never more than the outbox limit per session
			assertThat(mostQueued.get()).isLessThanOrEqualTo(2 * OUTBOX_LIMIT);
			System.out.println("F12: most messages queued on the node " + mostQueued.get()
					+ "; frozen client saw close " + frozen.readUntilClosed());
		}
		try (CheckedClient back = CheckedClient.start(slow, this.port)) {
			DeliveryChecker.Report report = new DeliveryChecker(database.newDataSource(2)).check(List.of(back),
					List.of(), 0, Duration.ofSeconds(60));
			assertThat(report.committed()).isEqualTo(MESSAGES);
			assertThat(back.replayPages()).isPositive();
			System.out.println("F12: after reconnecting " + report + " in " + back.subscriptions() + " replay page(s)");
		}
	}

	private double slowConsumersClosed() {
		return this.meters.find("notify.stomp.sessions.slow-consumer")
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

	private void awaitSubscribed(String userId) {
		Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> this.sessions.sessionsOf(userId).stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
	}

}
