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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NonReadingClient;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code slow-consumer-policy=drop-newest}, a client that stops reading loses the
 * broadcasts that do not fit its outbox (counted), and keeps its session until a stored
 * message does not fit: that one closes it, since dropping it would leave a gap.
 */
@NotifyStompServerTest(properties = { "notify.stomp.transport.slow-consumer-policy=drop-newest",
		"notify.stomp.transport.outbound-queue-limit=20", "notify.stomp.transport.send-buffer-size-limit=128KB",
		"notify.stomp.transport.send-time-limit=2s", "spring.jmx.enabled=false" })
class SlowConsumerDropPolicyTests {

	private static final int BROADCASTS = 300;

	private static final String LARGE = "x".repeat(20_000);

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Autowired
	SimpUserRegistry users;

	@Autowired
	MeterRegistry meters;

	@Test
	void whenAClientStopsReadingThenBroadcastsToItAreDroppedAndAStoredMessageClosesIt() throws Exception {
		try (NonReadingClient frozen = NonReadingClient.connect(this.port, "valid-ida", 4096);
				StompTestClient other = StompTestClient.connect(this.port, "valid-jon")) {
			frozen.subscribe("sub-0", "/topic/notify");
			frozen.subscribe("sub-1", "/user/queue/notify");
			Subscription news = other.subscribe("/topic/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.users.findSubscriptions((s) -> "/topic/notify".equals(s.getDestination())).size() == 2
						&& this.sessions.sessionsOf("ida").stream().anyMatch((s) -> s.userSubscriptionCount() > 0));

			for (int i = 0; i < BROADCASTS; i++) {
				this.notifyTemplate.broadcast(NotifyMessage.of("news", LARGE));
				Thread.sleep(5);
			}

			// the client that reads gets the broadcasts while the frozen one's outbox is
			// full (on a loaded machine it may fall behind too, with its drops counted):
			// once it has caught up, the next broadcast reaches it
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> dropped() > 0);
			news.drain();
			Awaitility.await("the reading client caught up")
				.atMost(StompTestClient.TIMEOUT)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> news.drain().isEmpty());
			this.notifyTemplate.broadcast(NotifyMessage.of("news", "after the burst"));
			assertThat(news.next().body()).contains("after the burst");
			assertThat(this.sessions.sessionCount("ida")).as("still connected").isOne();
			assertThat(this.sessions.sessionCount("jon")).isOne();

			this.notifyTemplate.sendToUser("ida", NotifyMessage.of("text", "stored: never dropped"));

			Awaitility.await("closed by a stored message that does not fit")
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionCount("ida") == 0);
			System.out.println("Drop policy: " + (long) dropped() + " of " + BROADCASTS
					+ " broadcasts dropped for the frozen client before a stored message closed it");
		}
	}

	private double dropped() {
		return this.meters.find("notify.stomp.messages.dropped")
			.tag("reason", "slow-consumer")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
