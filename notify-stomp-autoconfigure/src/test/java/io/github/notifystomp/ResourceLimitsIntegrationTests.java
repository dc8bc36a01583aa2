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

package io.github.notifystomp;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each per-session limit closes only the session that breaks it, and other users'
 * delivery goes on.
 */
@NotifyStompServerTest(properties = { "notify.stomp.limits.max-subscriptions-per-session=3",
		"notify.stomp.limits.send-rate=5", "notify.stomp.limits.send-burst=5", "notify.stomp.limits.max-headers=10",
		"notify.stomp.limits.max-header-length=100", "notify.stomp.extra-subscribe-patterns=/topic/extra/*",
		"notify.stomp.transport.message-size-limit=16KB", "notify.stomp.auth.failure-throttle.max-failures=3",
		"notify.stomp.auth.failure-throttle.window=1h" })
class ResourceLimitsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenASessionHoldsTooManySubscriptionsThenOnlyItIsClosed() {
		try (StompTestClient bystander = StompTestClient.connect(this.port, "valid-quinn");
				StompTestClient greedy = StompTestClient.connect(this.port, "valid-rupert")) {
			Subscription inbox = subscribed(bystander, "quinn");
			greedy.subscribe("/user/queue/notify");
			greedy.subscribe("/topic/notify");
			greedy.subscribe("/topic/extra/a");
			greedy.subscribe("/topic/extra/b");
			assertThat(greedy.awaitError()).isEqualTo("Too many subscriptions");
			greedy.awaitClosed();
			assertDeliveryGoesOn(inbox, "quinn");
		}
	}

	@Test
	void whenASessionSubscribesTwiceToItsUserDestinationThenTheSecondIsRefusedAndNothingIsWrittenTwice()
			throws Exception {
		try (StompTestClient bystander = StompTestClient.connect(this.port, "valid-quinn");
				RawStompClient raw = RawStompClient.open(this.port)) {
			Subscription inbox = subscribed(bystander, "quinn");
			raw.connect("valid-vera");
			raw.frame("SUBSCRIBE", "", "id:a", "destination:/user/queue/notify");
			await().until(() -> this.sessions.sessionsOf("vera")
				.stream()
				.anyMatch((session) -> session.userSubscriptionCount() > 0));
			this.notifyTemplate.sendToUser("vera", NotifyMessage.of("text", "once"));
			assertThat(raw.next()).startsWith("MESSAGE").contains("once");

			raw.frame("SUBSCRIBE", "", "id:b", "destination:/user/queue/notify");
			assertThat(raw.awaitError()).isEqualTo("Already subscribed to /user/queue/notify");
			raw.awaitClosed();
			assertThat(raw.received()).noneMatch((frame) -> frame.startsWith("MESSAGE"));
			assertDeliveryGoesOn(inbox, "quinn");
		}
	}

	@Test
	void whenASessionReusesASubscriptionIdThenItIsRefusedAndNoLimitIsBypassed() throws Exception {
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.connect("valid-walt");
			raw.frame("SUBSCRIBE", "", "id:a", "destination:/user/queue/notify", "notify-since:0");
			raw.frame("SUBSCRIBE", "", "id:a", "destination:/user/queue/notify", "notify-since:0");
			assertThat(raw.awaitError()).isEqualTo("Subscription id already in use");
			raw.awaitClosed();
		}
	}

	@Test
	void whenASessionSendsTooFastThenOnlyItIsClosed() {
		try (StompTestClient bystander = StompTestClient.connect(this.port, "valid-quinn");
				StompTestClient flooder = StompTestClient.connect(this.port, "valid-sybil")) {
			Subscription inbox = subscribed(bystander, "quinn");
			for (int i = 0; i < 50; i++) {
				if (flooder.isClosed()) {
					break;
				}
				try {
					flooder.send("/app/flood", "{}", Map.of());
				}
				catch (RuntimeException ex) {
					break;
				}
			}
			assertThat(flooder.awaitError()).isEqualTo("Sending too fast");
			flooder.awaitClosed();
			assertDeliveryGoesOn(inbox, "quinn");
		}
	}

	@Test
	void whenAFrameHasTooManyOrTooLongHeadersThenItIsRefused() throws Exception {
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.connect("valid-trent");
			String[] headers = new String[12];
			headers[0] = "destination:/app/x";
			for (int i = 1; i < headers.length; i++) {
				headers[i] = "h" + i + ":v";
			}
			raw.frame("SEND", "{}", headers);
			assertThat(raw.awaitError()).isEqualTo("Too many headers");
		}
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.connect("valid-trent");
			raw.frame("SEND", "{}", "destination:/app/x", "long:" + "x".repeat(200));
			assertThat(raw.awaitError()).isEqualTo("Header too long");
		}
	}

	@Test
	void whenAnOversizedFrameArrivesInSeveralWebSocketMessagesThenOnlyThatSessionIsClosed() throws Exception {
		try (StompTestClient bystander = StompTestClient.connect(this.port, "valid-quinn");
				RawStompClient raw = RawStompClient.open(this.port)) {
			Subscription inbox = subscribed(bystander, "quinn");
			raw.connect("valid-uma");
			String chunk = "x".repeat(8 * 1024);
			raw.text("SEND\ndestination:/app/x\n\n" + chunk);
			raw.text(chunk);
			raw.text(chunk + "\0");
			assertThat(raw.awaitClosed().getCode()).isEqualTo(1002);
			assertDeliveryGoesOn(inbox, "quinn");
		}
	}

	private Subscription subscribed(StompTestClient client, String userId) {
		Subscription inbox = client.subscribe("/user/queue/notify");
		await().until(() -> this.sessions.sessionsOf(userId)
			.stream()
			.anyMatch((session) -> session.userSubscriptionCount() > 0));
		return inbox;
	}

	private void assertDeliveryGoesOn(Subscription inbox, String userId) {
		this.notifyTemplate.sendToUser(userId, NotifyMessage.of("text", "still delivered"));
		assertThat(inbox.next().body()).contains("still delivered");
	}

}
