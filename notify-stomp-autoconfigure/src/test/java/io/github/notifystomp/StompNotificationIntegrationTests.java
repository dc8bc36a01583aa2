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

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * End-to-end tests of the starter in a real server on a random port, with real STOMP
 * clients.
 */
@NotifyStompServerTest(properties = { "notify.stomp.limits.max-sessions-per-user=3",
		"notify.stomp.auth.session-limit-policy=reject-new", "notify.stomp.transport.message-size-limit=8KB",
		"notify.stomp.auth.max-token-length=4096", "notify.stomp.transport.connect-timeout=2s",
		"notify.stomp.auth.failure-throttle.max-failures=0" })
class StompNotificationIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	MessageTypeRegistry types;

	// reads what clients receive; the application's own mapper is Jackson 3 or 2 by
	// Spring Boot line
	private final ObjectMapper objectMapper = new ObjectMapper();

	@Nested
	class Delivery {

		@Test
		void whenSentToUserThenEverySessionOfThatUserGetsItAndNoOtherUserDoes() throws Exception {
			try (StompTestClient phone = StompTestClient.connect(port, "valid-alice");
					StompTestClient laptop = StompTestClient.connect(port, "valid-alice");
					StompTestClient bob = StompTestClient.connect(port, "valid-bob")) {
				Subscription onPhone = phone.subscribe("/user/queue/notify");
				Subscription onLaptop = laptop.subscribe("/user/queue/notify");
				Subscription onBob = bob.subscribe("/user/queue/notify");
				awaitSubscribed("alice", 2);

				SendResult result = notifyTemplate.sendToUser("alice",
						NotifyMessage.of("text", Map.of("hello", "alice")));

				for (Subscription subscription : List.of(onPhone, onLaptop)) {
					Frame frame = subscription.next();
					assertThat(frame.header("notify-id")).isEqualTo(result.id());
					assertThat(frame.header("notify-type")).isEqualTo("text");
					assertThat(frame.header("notify-seq")).isEqualTo(String.valueOf(result.seq()));
					JsonNode body = objectMapper.readTree(frame.body());
					assertThat(body.get("id").asText()).isEqualTo(result.id());
					assertThat(body.get("type").asText()).isEqualTo("text");
					assertThat(body.get("payload").get("hello").asText()).isEqualTo("alice");
					assertThat(body.get("seq").asLong()).isEqualTo(result.seq());
					assertThat(body.get("createdAt").asText()).isNotBlank();
				}
				onBob.assertNothingWithin(QUIET);
			}
		}

		@Test
		void whenBroadcastThenEveryConnectedUserGetsItOnce() {
			try (StompTestClient alice = StompTestClient.connect(port, "valid-alice");
					StompTestClient bob = StompTestClient.connect(port, "valid-bob")) {
				Subscription onAlice = alice.subscribe("/topic/notify");
				Subscription onBob = bob.subscribe("/topic/notify");
				awaitBrokerSubscriptions();

				SendResult result = notifyTemplate.broadcast(NotifyMessage.of("news", "hello all"));

				for (Subscription subscription : List.of(onAlice, onBob)) {
					Frame frame = subscription.next();
					assertThat(frame.header("notify-id")).isEqualTo(result.id());
					assertThat(frame.header("notify-seq")).isNull();
					assertThat(frame.body()).contains("\"payload\":\"hello all\"");
					subscription.assertNothingWithin(QUIET);
				}
			}
		}

		@Test
		void whenPayloadHasTheWrongClassForItsTypeThenSendThrowsAndNothingIsDelivered() {
			types.register("order-shipped", OrderShipped.class);
			try (StompTestClient alice = StompTestClient.connect(port, "valid-alice")) {
				Subscription inbox = alice.subscribe("/user/queue/notify");
				awaitSubscribed("alice", 1);

				assertThatIllegalArgumentException()
					.isThrownBy(() -> notifyTemplate.sendToUser("alice", NotifyMessage.of("order-shipped", "no")))
					.withMessageContaining("order-shipped")
					.withMessageContaining(OrderShipped.class.getName());

				inbox.assertNothingWithin(QUIET);
				notifyTemplate.sendToUser("alice", NotifyMessage.of("order-shipped", new OrderShipped("A-1")));
				assertThat(inbox.next().body()).contains("\"orderId\":\"A-1\"");
			}
		}

		@Test
		void whenUserIsConnectedThenTemplateReportsItOnline() {
			assertThat(notifyTemplate.isOnline("carol")).isFalse();
			try (StompTestClient carol = StompTestClient.connect(port, "valid-carol")) {
				assertThat(notifyTemplate.isOnline("carol")).isTrue();
				assertThat(notifyTemplate.localOnlineUserCount()).isGreaterThanOrEqualTo(1);
			}
			org.awaitility.Awaitility.await().until(() -> !notifyTemplate.isOnline("carol"));
		}

		@Test
		void whenAppDisconnectsUserThenEverySessionGetsAnErrorAndCloses() {
			try (StompTestClient one = StompTestClient.connect(port, "valid-dave");
					StompTestClient two = StompTestClient.connect(port, "valid-dave")) {
				notifyTemplate.disconnectUser("dave");
				assertThat(one.awaitError()).isEqualTo("Disconnected by the server");
				assertThat(two.awaitError()).isEqualTo("Disconnected by the server");
				one.awaitClosed();
				two.awaitClosed();
			}
		}

	}

	@Nested
	class Authentication {

		@Test
		void whenAuthorizationHeaderIsMissingThenConnectIsRefused() {
			assertRefused(new StompHeaders(), "Missing Authorization header");
		}

		@Test
		void whenAuthorizationIsNotBearerThenConnectIsRefused() {
			assertRefused(headers("Basic YWxpY2U6c2VjcmV0"),
					"Malformed Authorization header, expected 'Bearer <token>'");
			assertRefused(headers("Bearer "), "Malformed Authorization header, expected 'Bearer <token>'");
			assertRefused(headers("Bearer a b"), "Malformed Authorization header, expected 'Bearer <token>'");
		}

		@Test
		void whenTokenIsRejectedThenConnectIsRefusedWithAFixedText() {
			assertRefused(headers("Bearer nonsense"), "Invalid token");
			assertRefused(headers("Bearer boom"), "Invalid token");
		}

		@Test
		void whenTokenIsExpiredThenConnectIsRefused() {
			assertRefused(headers("Bearer expired-alice"), "Token expired");
		}

		@Test
		void whenTokenIsTooLongThenConnectIsRefusedWithoutParsingIt() {
			assertRefused(headers("Bearer valid-" + "a".repeat(5000)),
					"Malformed Authorization header, expected 'Bearer <token>'");
		}

		@Test
		void whenUserIdCouldFormAnotherDestinationThenConnectIsRefused() {
			for (String userId : List.of("bob/queue/notify", "..", "a%2Fb", "a b", "x".repeat(300))) {
				assertRefused(headers("Bearer " + TestTokens.forUserId(userId)), "Invalid user id");
			}
		}

		@Test
		void whenUserHasTheMaximumNumberOfSessionsThenTheNextConnectIsRefused() {
			try (StompTestClient one = StompTestClient.connect(port, "valid-erin");
					StompTestClient two = StompTestClient.connect(port, "valid-erin");
					StompTestClient three = StompTestClient.connect(port, "valid-erin")) {
				assertRefused(headers("Bearer valid-erin"), "Too many sessions for this user");
				Subscription inbox = one.subscribe("/user/queue/notify");
				awaitSubscribed("erin", 1);
				notifyTemplate.sendToUser("erin", NotifyMessage.of("text", "still here"));
				assertThat(inbox.next().body()).contains("still here");
			}
			org.awaitility.Awaitility.await().until(() -> !notifyTemplate.isOnline("erin"));
			try (StompTestClient again = StompTestClient.connect(port, "valid-erin")) {
				assertThat(again.isConnected()).isTrue();
			}
		}

		@Test
		void whenTokenExpiresThenTheSessionIsClosedAndGetsNothingAfterwards() {
			try (StompTestClient frank = StompTestClient.connect(port, "expiring-2-frank")) {
				Subscription inbox = frank.subscribe("/user/queue/notify");
				awaitSubscribed("frank", 1);
				notifyTemplate.sendToUser("frank", NotifyMessage.of("text", "before"));
				assertThat(inbox.next().body()).contains("before");
				assertThat(frank.awaitError()).isEqualTo("Token expired");
				frank.awaitClosed();
				notifyTemplate.sendToUser("frank", NotifyMessage.of("text", "after"));
				inbox.assertNothingWithin(QUIET);
			}
		}

		private void assertRefused(StompHeaders connectHeaders, String expectedMessage) {
			try (StompTestClient client = StompTestClient.attempt(port, connectHeaders)) {
				assertThat(client.isConnected()).isFalse();
				assertThat(client.awaitError()).isEqualTo(expectedMessage);
				client.awaitClosed();
			}
		}

		private StompHeaders headers(String authorization) {
			StompHeaders headers = new StompHeaders();
			headers.add("Authorization", authorization);
			return headers;
		}

	}

	@Nested
	class Destinations {

		@Test
		void whenSubscribingToAnotherUsersBrokerQueueThenRefusedAndTheVictimsMessagesNeverArrive() {
			try (StompTestClient victim = StompTestClient.connect(port, "valid-victim");
					StompTestClient attacker = StompTestClient.connect(port, "valid-mallory")) {
				Subscription victimInbox = victim.subscribe("/user/queue/notify");
				awaitSubscribed("victim", 1);
				Subscription stolen = attacker.subscribe("/queue/notify-user" + victim.sessionId());
				assertThat(attacker.awaitError()).startsWith("Subscription not allowed");
				attacker.awaitClosed();
				notifyTemplate.sendToUser("victim", NotifyMessage.of("text", "secret"));
				assertThat(victimInbox.next().body()).contains("secret");
				stolen.assertNothingWithin(QUIET);
			}
		}

		@Test
		void whenSubscribingOutsideTheAllowedDestinationsThenRefused() {
			for (String destination : List.of("/queue/**", "/queue/notify", "/user/victim/queue/notify", "/topic/other",
					"/topic/**", "/user.queue.notify", "//user/queue/notify", "/user/queue/notify/../../queue/x",
					"/user/queue/%6Eotify", "/app/anything")) {
				try (StompTestClient client = StompTestClient.connect(port, "valid-mallory")) {
					client.subscribe(destination);
					assertThat(client.awaitError()).as(destination).startsWith("Subscription not allowed");
					client.awaitClosed();
				}
			}
		}

		@Test
		void whenSubscribingWithASelectorThenRefused() {
			try (StompTestClient client = StompTestClient.connect(port, "valid-mallory")) {
				client.subscribe("/topic/notify", Map.of("selector", "T(java.lang.Runtime).getRuntime().exec('id')"));
				assertThat(client.awaitError()).isEqualTo("Selector header not supported");
			}
		}

		@Test
		void whenClientSendsToTheBroadcastTopicOrAnotherUserThenRefusedAndNobodyReceivesIt() {
			try (StompTestClient bob = StompTestClient.connect(port, "valid-bob")) {
				Subscription bobInbox = bob.subscribe("/user/queue/notify");
				Subscription bobTopic = bob.subscribe("/topic/notify");
				awaitSubscribed("bob", 1);
				for (String destination : List.of("/topic/notify", "/user/bob/queue/notify",
						"/queue/notify-user" + bob.sessionId(), "/app/../topic/notify")) {
					try (StompTestClient mallory = StompTestClient.connect(port, "valid-mallory")) {
						mallory.send(destination, "{\"forged\":true}", Map.of());
						assertThat(mallory.awaitError()).as(destination).startsWith("Send not allowed");
						mallory.awaitClosed();
					}
				}
				bobInbox.assertNothingWithin(QUIET);
				bobTopic.assertNothingWithin(Duration.ZERO.plusMillis(10));
			}
		}

		@Test
		void whenClientSendsReservedHeadersThenRefused() {
			for (String header : List.of("notify-id", "notify-seq", "simpUser", "originalDestination", "selector")) {
				try (StompTestClient mallory = StompTestClient.connect(port, "valid-mallory")) {
					mallory.send("/app/echo", "{}", Map.of(header, "x"));
					assertThat(mallory.awaitError()).as(header).startsWith("Reserved header");
				}
			}
		}

		@Test
		void whenFrameIsLargerThanTheLimitThenOnlyThatSessionIsClosed() {
			try (StompTestClient big = StompTestClient.connect(port, "valid-grace");
					StompTestClient other = StompTestClient.connect(port, "valid-heidi")) {
				Subscription otherInbox = other.subscribe("/user/queue/notify");
				awaitSubscribed("heidi", 1);
				big.send("/app/echo", "x".repeat(9 * 1024), Map.of());
				big.awaitClosed();
				notifyTemplate.sendToUser("heidi", NotifyMessage.of("text", "unaffected"));
				assertThat(otherInbox.next().body()).contains("unaffected");
			}
		}

	}

	@Nested
	class Protocol {

		@Test
		void whenAClientSendsFramesWithoutWaitingThenTheyAreHandledInTheOrderSent() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				raw.connect("valid-olga");
				for (int i = 0; i < 100; i++) {
					raw.frame("SUBSCRIBE", "", "id:s" + i, "destination:/user/queue/notify");
					raw.frame("UNSUBSCRIBE", "", "id:s" + i);
				}
				raw.frame("SUBSCRIBE", "", "id:last", "destination:/user/queue/notify");

				// an UNSUBSCRIBE handled before its SUBSCRIBE would leave that
				// subscription
				org.awaitility.Awaitility.await()
					.during(QUIET)
					.atMost(StompTestClient.TIMEOUT)
					.until(() -> localSessions().sessionsOf("olga")
						.stream()
						.mapToInt((s) -> s.userSubscriptionCount())
						.sum() == 1);
				notifyTemplate.sendToUser("olga", NotifyMessage.of("text", "once"));
				assertThat(raw.next()).startsWith("MESSAGE").contains("\nsubscription:last\n");
				assertThat(raw.received().poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
			}
		}

		@Test
		void whenAFrameComesBeforeConnectThenItIsRefused() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				raw.frame("SUBSCRIBE", "", "id:0", "destination:/topic/notify");
				assertThat(raw.awaitError()).isEqualTo("Not connected: send CONNECT first");
				raw.awaitClosed();
			}
		}

		@Test
		void whenASecondConnectComesOnTheSameSocketThenItIsRefusedAndTheIdentityNeverChanges() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				raw.connect("valid-ivan");
				raw.frame("CONNECT", "", "accept-version:1.2", "Authorization:Bearer valid-judy");
				assertThat(raw.awaitError()).isEqualTo("Already connected");
				raw.awaitClosed();
			}
			assertThat(notifyTemplate.isOnline("judy")).isFalse();
		}

		@Test
		void whenClientSendsAServerOrTransactionFrameThenItIsRefused() throws Exception {
			for (String command : List.of("MESSAGE", "BEGIN", "COMMIT", "ABORT")) {
				try (RawStompClient raw = RawStompClient.open(port)) {
					raw.connect("valid-mallory");
					raw.frame(command, command.equals("MESSAGE") ? "forged" : "", "destination:/topic/notify",
							"transaction:tx1", "subscription:0", "message-id:1");
					assertThat(raw.awaitError()).as(command).isEqualTo("Frame not allowed: " + command);
					raw.awaitClosed();
				}
			}
		}

		@Test
		void whenTheFrameIsGarbageThenTheClientGetsAFixedText() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				raw.text("HELLO\nfoo:bar\n\n\0");
				assertThat(raw.awaitError()).isIn("Malformed frame", "Frame refused");
				raw.awaitClosed();
			}
		}

		@Test
		void whenTheTokenCarriesEscapedLineBreaksThenConnectIsRefused() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				raw.frame("CONNECT", "", "accept-version:1.2", "Authorization:Bearer valid-ivan\\nsimpUser:judy");
				assertThat(raw.awaitError()).isEqualTo("Malformed Authorization header, expected 'Bearer <token>'");
				raw.awaitClosed();
			}
		}

		@Test
		void whenTheTokenIsInTheUrlQueryThenTheHandshakeIsRefused() {
			assertThatThrownBy(() -> RawStompClient.open("ws://localhost:" + port + "/ws?access_token=valid-ivan",
					new WebSocketHttpHeaders()))
				.hasStackTraceContaining("400");
		}

		@Test
		void whenTheOriginIsNotAllowedThenTheHandshakeIsRefused() {
			WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
			headers.setOrigin("https://evil.example");
			assertThatThrownBy(() -> RawStompClient.open("ws://localhost:" + port + "/ws", headers))
				.hasStackTraceContaining("403");
		}

		@Test
		void whenTheOriginIsTheSameThenTheHandshakeIsAccepted() throws Exception {
			WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
			headers.setOrigin("http://localhost:" + port);
			try (RawStompClient raw = RawStompClient.open("ws://localhost:" + port + "/ws", headers)) {
				raw.connect("valid-ivan");
			}
		}

		@Test
		void whenASocketNeverSendsConnectThenItIsClosedAfterTheDeadlineEvenWithNoOtherClient() throws Exception {
			try (RawStompClient raw = RawStompClient.open(port)) {
				assertThat(raw.awaitClosed().getCode()).isEqualTo(1008);
			}
		}

	}

	private void awaitSubscribed(String userId, int sessions) {
		org.awaitility.Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> subscribedSessions(userId) >= sessions);
	}

	private long subscribedSessions(String userId) {
		return localSessions().sessionsOf(userId).stream().filter((s) -> s.userSubscriptionCount() > 0).count();
	}

	@Autowired
	io.github.notifystomp.delivery.internal.LocalSessions localSessions;

	private io.github.notifystomp.delivery.internal.LocalSessions localSessions() {
		return this.localSessions;
	}

	@Autowired
	org.springframework.messaging.simp.user.SimpUserRegistry userRegistry;

	private void awaitBrokerSubscriptions() {
		// broker subscriptions are registered on the inbound executor: give them a moment
		org.awaitility.Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> userRegistry.findSubscriptions((s) -> "/topic/notify".equals(s.getDestination())).size() >= 2);
	}

	record OrderShipped(String orderId) {
	}

}
