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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.notifystomp.InboxPage;
import io.github.notifystomp.NotifyInbox;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.internal.DefaultMessageRouter;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.test.ForwardingNotifyStore;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of "nothing lost" with a real JDBC store (H2): transactions, replay
 * with {@code notify-since}, acknowledgement and redelivery, and the inbox, with real
 * STOMP clients on a real server.
 */
@NotifyStompServerTest(classes = { TestApplication.class, StoreDeliveryIntegrationTests.Hooks.class },
		properties = { "notify.stomp.delivery.ack-timeout=1s", "notify.stomp.delivery.max-attempts=2",
				"notify.stomp.delivery.replay-limit=200", "notify.stomp.limits.max-unacked-per-subscription=60" })
class StoreDeliveryIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	// longer than the ACK timeout plus the redelivery check interval
	private static final Duration PAST_ACK_TIMEOUT = Duration.ofMillis(1600);

	private static final Map<String, String> ACK = Map.of("ack", "client-individual");

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate template;

	@Autowired
	NotifyStore store;

	@Autowired
	NotifyInbox inbox;

	@Autowired
	LocalSessions sessions;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	ReplayGate gate;

	@Autowired
	FlakyRouter router;

	// reads what clients receive; the application's own mapper is Jackson 3 or 2 by
	// Spring Boot line
	private final ObjectMapper objectMapper = new ObjectMapper();

	@Test
	void whenTheStoreIsAutoConfiguredWithADataSourceThenItIsTheJdbcStore() {
		assertThat(this.gate.delegate()).isInstanceOf(JdbcNotifyStore.class);
		assertThat(this.store.joinsTransactions()).isTrue();
	}

	@Test
	void whenAClientDisconnectsMidStreamThenNotifySinceReplaysExactlyWhatItMissedInOrder() throws Exception {
		String user = user("alice");
		long lastSeen;
		try (StompTestClient phone = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = phone.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);
			CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> send(user, 50));
			List<Frame> seen = inbox.next(10);
			lastSeen = assertContiguous(seen, 1);
			phone.close();
			stream.get(30, TimeUnit.SECONDS);
		}
		await().until(() -> this.sessions.sessionCount(user) == 0);
		send(user, 100);

		try (StompTestClient phone = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = phone.subscribe("/user/queue/notify",
					Map.of("notify-since", String.valueOf(lastSeen)));
			List<Frame> replayed = inbox.next((int) (150 - lastSeen));
			assertContiguous(replayed, lastSeen + 1);
			assertThat(replayed.get(replayed.size() - 1).seq()).isEqualTo(150);
			assertThat(replayed).allMatch((frame) -> frame.header("notify-replay-more") == null);
			List<String> storedIds = this.store.findAfter(user, lastSeen, 1000)
				.stream()
				.map(StoredMessage::id)
				.toList();
			assertThat(replayed).extracting(Frame::id).containsExactlyElementsOf(storedIds);
			inbox.assertNothingWithin(QUIET);

			SendResult live = this.template.sendToUser(user, NotifyMessage.of("text", "live"));
			assertThat(inbox.next().seq()).isEqualTo(live.seq()).isEqualTo(151);
		}
	}

	@Test
	void whenMoreMessagesArePendingThanTheReplayLimitThenTheLastOneSaysSoAndTheNextSubscribeContinues() {
		String user = user("bob");
		send(user, 250);
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription first = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			List<Frame> replayed = first.next(200);
			assertContiguous(replayed, 1);
			assertThat(replayed.get(199).header("notify-replay-more")).isEqualTo("true");
			assertThat(replayed.subList(0, 199)).allMatch((frame) -> frame.header("notify-replay-more") == null);
			// stored messages wait for the next replay rather than arrive out of order
			this.template.sendToUser(user, NotifyMessage.of("text", "while truncated"));
			first.assertNothingWithin(QUIET);
			first.unsubscribe();

			Subscription second = client.subscribe("/user/queue/notify", Map.of("notify-since", "200"));
			List<Frame> rest = second.next(51);
			assertContiguous(rest, 201);
			assertThat(rest).allMatch((frame) -> frame.header("notify-replay-more") == null);
			assertThat(rest.get(50).body()).contains("while truncated");
			this.template.sendToUser(user, NotifyMessage.of("text", "live again"));
			assertThat(second.next().seq()).isEqualTo(252);
		}
	}

	@Test
	void whenStoredMessagesAreGoneThenTheReplayTellsWhichOnesInsteadOfSkippingThemSilently() {
		String user = user("gus");
		List<SendResult> sent = send(user, 5);
		assertThat(sent).extracting(SendResult::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
		// 1, 3 and 4 no longer exist, as after retention or a delete
		for (int gone : new int[] { 0, 2, 3 }) {
			assertThat(this.store.delete(user, sent.get(gone).id())).isTrue();
		}
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			List<Frame> replayed = inbox.next(2);

			assertThat(replayed).extracting(Frame::seq).containsExactly(2L, 5L);
			assertThat(replayed).extracting((frame) -> frame.header("notify-gap")).containsExactly("1-1", "3-4");
			this.template.sendToUser(user, NotifyMessage.of("text", "live"));
			assertThat(inbox.next().header("notify-gap")).isNull();
		}
	}

	@Test
	void whenLiveMessagesAreSentWhileAReplayRunsThenTheyFollowItWithoutAGapOrADuplicate() throws Exception {
		String user = user("carol");
		send(user, 120);
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			ReplayGate.Pause pause = this.gate.pause(user);
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			pause.awaitBeforeQuery();
			// committed before the replay reads the store: the replay has them, live
			// copies are duplicates
			send(user, 15);
			pause.releaseQuery();
			pause.awaitAfterQuery();
			// committed after the replay read the store: only live delivery has them
			send(user, 15);
			CompletableFuture<Void> racing = CompletableFuture.runAsync(() -> send(user, 20));
			pause.releaseReplay();
			racing.get(30, TimeUnit.SECONDS);

			List<Frame> frames = inbox.next(170);
			assertContiguous(frames, 1);
			inbox.assertNothingWithin(QUIET);
		}
	}

	@Test
	void whenMoreLiveMessagesArriveDuringAReplayThanCanBeHeldBackThenTheClientIsToldAndLosesNothing() throws Exception {
		String user = user("carl");
		send(user, 10);
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			ReplayGate.Pause pause = this.gate.pause(user);
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			pause.awaitBeforeQuery();
			pause.releaseQuery();
			pause.awaitAfterQuery();
			// more than notify.stomp.limits.max-unacked-per-subscription (60)
			send(user, 61);
			pause.releaseReplay();

			assertThat(client.awaitError())
				.isEqualTo("Too many messages during replay, subscribe again with notify-since");
			client.awaitClosed();
			// the ERROR may overtake replayed frames
			// still queued: whatever came is in order
			List<Frame> beforeError = inbox.drain();
			if (!beforeError.isEmpty()) {
				assertContiguous(beforeError, 1);
			}
		}
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			assertContiguous(inbox.next(71), 1);
		}
	}

	@Test
	void whenTheStoreFailsDuringAReplayThenTheClientGetsAnErrorFrame() {
		String user = user("cody");
		send(user, 3);
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			this.gate.failNextRead(user);

			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));

			assertThat(client.awaitError()).isEqualTo("Replay failed, reconnect");
			client.awaitClosed();
			inbox.assertNothingWithin(Duration.ofMillis(10));
		}
	}

	@Test
	void whenSendsRaceTheReplayOfABacklogThenTheClientGetsEverySeqOnceInOrder() throws Exception {
		String user = user("dave");
		send(user, 150);
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			CountDownLatch subscribed = new CountDownLatch(1);
			CompletableFuture<Void> racing = CompletableFuture.runAsync(() -> {
				awaitLatch(subscribed);
				send(user, 40);
			});
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			subscribed.countDown();
			List<Frame> frames = inbox.next(190);
			racing.get(30, TimeUnit.SECONDS);
			assertContiguous(frames, 1);
			inbox.assertNothingWithin(QUIET);
		}
	}

	@Test
	void whenSentInsideATransactionThenDeliveredOnlyAfterCommit() {
		String user = user("erin");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);

			SendResult result = this.transaction.execute((status) -> {
				SendResult sent = this.template.sendToUser(user, NotifyMessage.of("text", "in tx"));
				inbox.assertNothingWithin(QUIET);
				return sent;
			});

			Frame frame = inbox.next();
			assertThat(frame.id()).isEqualTo(result.id());
			assertThat(frame.seq()).isEqualTo(result.seq()).isEqualTo(1);
		}
	}

	@Test
	void whenTheTransactionRollsBackThenNothingIsStoredOrDelivered() {
		String user = user("frank");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);

			this.transaction.executeWithoutResult((status) -> {
				this.template.sendToUser(user, NotifyMessage.of("text", "rolled back"));
				this.template.sendToUsers(List.of(user, user("other")), NotifyMessage.of("text", "rolled back too"));
				status.setRollbackOnly();
			});

			inbox.assertNothingWithin(QUIET);
			assertThat(this.store.findAfter(user, 0, 10)).isEmpty();
			// one subscription per destination: the live one ends first
			inbox.unsubscribe();
			Subscription replay = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			replay.assertNothingWithin(QUIET);
			assertThat(this.template.sendToUser(user, NotifyMessage.of("text", "after")).seq()).isEqualTo(1);
			assertThat(replay.next().body()).contains("after");
		}
	}

	@Test
	void whenSentOutsideAnyTransactionThenDeliveredAtOnce() {
		// the case a bare @TransactionalEventListener would drop silently
		String user = user("grace");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);

			SendResult result = this.template.sendToUser(user, NotifyMessage.of("text", "no tx"));

			assertThat(result.seq()).isEqualTo(1);
			assertThat(inbox.next().id()).isEqualTo(result.id());
			assertThat(this.store.find(user, result.id())).isNotNull();
		}
	}

	@Test
	void whenAMessageIsTransientThenItSkipsTheStoreAndIsNeverReplayed() throws Exception {
		String user = user("heidi");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);

			SendResult result = this.template.sendToUser(user,
					NotifyMessage.builder("typing").payload("...").transientMessage().build());

			assertThat(result.seq()).isNull();
			Frame frame = inbox.next();
			assertThat(frame.id()).isEqualTo(result.id());
			assertThat(frame.seq()).isNull();
			assertThat(frame.header("ack")).isNull();
			JsonNode body = this.objectMapper.readTree(frame.body());
			assertThat(body.get("seq").isNull()).isTrue();
			assertThat(this.store.findAfter(user, 0, 10)).isEmpty();
			// one subscription per destination: the live one ends first
			inbox.unsubscribe();
			Subscription replay = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			replay.assertNothingWithin(QUIET);
		}
	}

	@Test
	void whenAMessageIsNotAckedThenItIsRedeliveredToTheUsersOtherSession() {
		String user = user("ivan");
		Frame original;
		try (StompTestClient phone = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription onPhone = phone.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);
			this.template.sendToUser(user, NotifyMessage.of("text", "ack me"));
			original = onPhone.next();
			assertThat(original.header("ack")).isNotBlank();
		}
		try (StompTestClient laptop = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription onLaptop = laptop.subscribe("/user/queue/notify", ACK);

			Frame redelivered = onLaptop.next();

			assertThat(redelivered.id()).isEqualTo(original.id());
			assertThat(redelivered.seq()).isEqualTo(original.seq());
			assertThat(redelivered.header("notify-redelivered")).isEqualTo("true");
			assertThat(redelivered.header("ack")).isNotBlank().isNotEqualTo(original.header("ack"));
			laptop.ack(redelivered);
			await().until(() -> this.store.find(user, original.id()).isDelivered());
			onLaptop.assertNothingWithin(PAST_ACK_TIMEOUT);
		}
	}

	@Test
	void whenTheStoreHangsOnAnAckThenTheClientsNextFramesAreStillHandledAndTheAckIsRecordedLater() {
		String user = user("kim");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);
			SendResult result = this.template.sendToUser(user, NotifyMessage.of("text", "ack me slowly"));
			Frame frame = inbox.next();
			CountDownLatch storeAnswers = this.gate.holdMarks(user);
			try {
				client.ack(frame);
				// handled after the ACK on the same connection: it would wait behind
				// an ACK that writes the store on the client's thread
				Subscription topic = client.subscribe("/topic/notify");
				await().untilAsserted(() -> {
					this.template.broadcast(NotifyMessage.of("text", "while the store hangs"));
					assertThat(topic.next(Duration.ofMillis(200)).body()).contains("while the store hangs");
				});
				assertThat(this.store.find(user, result.id()).isDelivered()).isFalse();
			}
			finally {
				storeAnswers.countDown();
			}
			await().until(() -> this.store.find(user, result.id()).isDelivered());
			inbox.assertNothingWithin(PAST_ACK_TIMEOUT);
		}
	}

	@Test
	void whenTheStoreHangsOnNacksThenTheClientsNextFramesAreStillHandledAndTheMessagesComeAgainLater() {
		String user = user("nina");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);
			for (int i = 0; i < 10; i++) {
				this.template.sendToUser(user, NotifyMessage.of("text", "nack me " + i));
			}
			List<Frame> frames = inbox.next(10);
			CountDownLatch storeAnswers = this.gate.holdFinds(user);
			try {
				frames.forEach(client::nack);
				// handled after the NACKs on the same connection: it would wait behind
				// a NACK that reads the store on the client's thread
				Subscription topic = client.subscribe("/topic/notify");
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					this.template.broadcast(NotifyMessage.of("text", "while the store hangs"));
					assertThat(topic.next(Duration.ofMillis(200)).body()).contains("while the store hangs");
				});
				inbox.assertNothingWithin(Duration.ofMillis(300));
			}
			finally {
				storeAnswers.countDown();
			}
			List<Frame> again = inbox.next(10);
			assertThat(again).extracting(Frame::id)
				.containsExactlyInAnyOrderElementsOf(frames.stream().map(Frame::id).toList());
			assertThat(again).allSatisfy((frame) -> assertThat(frame.header("notify-redelivered")).isEqualTo("true"));
			again.forEach(client::ack);
			await().until(() -> this.store.find(user, frames.get(9).id()).isDelivered());
		}
	}

	@Test
	void whenAMessageIsAckedThenItIsMarkedDeliveredAndNotSentAgain() {
		String user = user("judy");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);
			SendResult result = this.template.sendToUser(user, NotifyMessage.of("text", "ack me"));
			Frame frame = inbox.next();
			assertThat(this.store.find(user, result.id()).isDelivered()).isFalse();

			client.ack(frame);

			await().until(() -> this.store.find(user, result.id()).isDelivered());
			assertThat(this.store.find(user, result.id()).deliveredAt()).isAfter(Instant.now().minusSeconds(60));
			inbox.assertNothingWithin(PAST_ACK_TIMEOUT);
		}
	}

	@Test
	void whenAMessageIsNeverAckedThenItIsSentUpToMaxAttemptsTimesMoreAndThenLeftForReplay() {
		String user = user("leo");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(user, 1);
			SendResult result = this.template.sendToUser(user, NotifyMessage.of("text", "ignored"));

			List<Frame> attempts = inbox.next(3);

			assertThat(attempts).extracting(Frame::id).containsOnly(result.id());
			assertThat(attempts).extracting((frame) -> frame.header("notify-redelivered"))
				.containsExactly(null, "true", "true");
			inbox.assertNothingWithin(PAST_ACK_TIMEOUT);
			assertThat(this.store.find(user, result.id()).isDelivered()).isFalse();

			// one subscription per destination: the live one ends first
			inbox.unsubscribe();
			Subscription replay = client.subscribe("/user/queue/notify", Map.of("notify-since", "0", "ack", "client"));
			Frame replayed = replay.next();
			assertThat(replayed.id()).isEqualTo(result.id());
			client.ack(replayed);
			await().until(() -> this.store.find(user, result.id()).isDelivered());
		}
	}

	@Test
	void whenAClientAcksAnIdItNeverReceivedThenNothingIsMarkedDelivered() {
		String bobId = user("bob");
		String malloryId = user("mallory");
		try (StompTestClient bob = StompTestClient.connect(this.port, "valid-" + bobId);
				StompTestClient mallory = StompTestClient.connect(this.port, "valid-" + malloryId)) {
			Subscription bobInbox = bob.subscribe("/user/queue/notify", ACK);
			Subscription malloryInbox = mallory.subscribe("/user/queue/notify", ACK);
			awaitSubscribed(bobId, 1);
			awaitSubscribed(malloryId, 1);
			SendResult secret = this.template.sendToUser(bobId, NotifyMessage.of("text", "secret"));
			Frame frame = bobInbox.next();

			// even with bob's own ack token (leaked) or
			// the notify-id, mallory's ACK is not bob's
			mallory.acknowledge(frame.header("ack"), true);
			mallory.acknowledge(secret.id(), true);
			mallory.acknowledge("made-up", false);

			Frame redelivered = bobInbox.next();
			assertThat(redelivered.id()).isEqualTo(secret.id());
			assertThat(redelivered.header("notify-redelivered")).isEqualTo("true");
			assertThat(this.store.find(bobId, secret.id()).isDelivered()).isFalse();
			malloryInbox.assertNothingWithin(Duration.ZERO.plusMillis(10));
			assertThat(mallory.isConnected()).isTrue();
			bob.ack(redelivered);
			await().until(() -> this.store.find(bobId, secret.id()).isDelivered());
		}
	}

	@Test
	void whenAckModeIsClientThenOneAckCoversEveryEarlierMessage() {
		String user = user("mike");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("ack", "client"));
			awaitSubscribed(user, 1);
			send(user, 3);
			List<Frame> frames = inbox.next(3);

			client.ack(frames.get(2));

			await().until(() -> this.store.findAfter(user, 0, 10).stream().allMatch(StoredMessage::isDelivered));
			inbox.assertNothingWithin(PAST_ACK_TIMEOUT);
		}
	}

	@Test
	void whenAckModeIsAutoThenMessagesCarryNoAckHeaderAndAreNotRedelivered() {
		String user = user("nina");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);
			SendResult result = this.template.sendToUser(user, NotifyMessage.of("text", "fire and forget"));

			Frame frame = inbox.next();

			assertThat(frame.header("ack")).isNull();
			assertThat(frame.header("message-id")).isEqualTo(result.id());
			inbox.assertNothingWithin(PAST_ACK_TIMEOUT);
			assertThat(this.store.find(user, result.id()).isDelivered()).isFalse();
		}
	}

	@Test
	void whenNotifySinceIsMalformedThenTheSubscribeGetsAnErrorFrame() {
		for (String since : List.of("abc", "-1", "1.5", "99999999999999999999", "")) {
			try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user("oscar"))) {
				client.subscribe("/user/queue/notify", Map.of("notify-since", since));
				assertThat(client.awaitError()).as(since)
					.isEqualTo("Invalid notify-since header, expected a non-negative integer");
				client.awaitClosed();
			}
		}
	}

	@Test
	void whenRoutingFailsThenTheStoredMessageIsReplayedOnReconnect() {
		String user = user("peggy");
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			awaitSubscribed(user, 1);
			this.router.failNext();

			SendResult lost = this.template.sendToUser(user, NotifyMessage.of("text", "router down"));

			assertThat(this.router.failed()).isTrue();
			assertThat(lost.seq()).isEqualTo(1);
			inbox.assertNothingWithin(QUIET);
			SendResult next = this.template.sendToUser(user, NotifyMessage.of("text", "router up"));
			assertThat(inbox.next().id()).isEqualTo(next.id());
		}
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			List<Frame> frames = inbox.next(2);
			assertThat(frames.get(0).body()).contains("router down");
			assertContiguous(frames, 1);
		}
	}

	@Test
	void whenMessagesAreMarkedReadThenTheUsersSessionsAreToldAndTheCountsFollow() throws Exception {
		String user = user("quinn");
		try (StompTestClient phone = StompTestClient.connect(this.port, "valid-" + user);
				StompTestClient laptop = StompTestClient.connect(this.port, "valid-" + user)) {
			Subscription onPhone = phone.subscribe("/user/queue/notify");
			Subscription onLaptop = laptop.subscribe("/user/queue/notify");
			awaitSubscribed(user, 2);
			List<SendResult> sent = send(user, 5);
			onPhone.next(5);
			onLaptop.next(5);
			assertThat(this.inbox.unreadCount(user)).isEqualTo(5);

			int changed = this.inbox.markRead(user, List.of(sent.get(0).id(), sent.get(1).id(), "unknown"));

			assertThat(changed).isEqualTo(2);
			assertThat(this.inbox.unreadCount(user)).isEqualTo(3);
			for (Subscription subscription : List.of(onPhone, onLaptop)) {
				Frame notice = subscription.next();
				assertThat(notice.header("notify-type")).isEqualTo(NotifyInbox.READ_TYPE);
				assertThat(notice.seq()).isNull();
				JsonNode ids = this.objectMapper.readTree(notice.body()).get("payload").get("ids");
				assertThat(ids).extracting(JsonNode::asText).contains(sent.get(0).id(), sent.get(1).id());
			}
			assertThat(this.inbox.markRead(user, List.of(sent.get(0).id()))).isZero();
			onPhone.assertNothingWithin(QUIET);
			assertThat(this.inbox.find(user, sent.get(0).id()).isRead()).isTrue();
		}
	}

	@Test
	void whenHistoryIsPagedThenItGoesFromNewestToOldestAndDeletedMessagesAreGone() {
		String user = user("rose");
		List<SendResult> sent = send(user, 7);

		InboxPage first = this.inbox.history(user, null, 3);
		InboxPage second = this.inbox.history(user, first.nextBeforeSeq(), 3);
		InboxPage third = this.inbox.history(user, second.nextBeforeSeq(), 3);

		assertThat(first.messages()).extracting((message) -> message.seq()).containsExactly(7L, 6L, 5L);
		assertThat(second.messages()).extracting((message) -> message.seq()).containsExactly(4L, 3L, 2L);
		assertThat(third.messages()).extracting((message) -> message.seq()).containsExactly(1L);
		assertThat(third.hasMore()).isFalse();
		assertThat(first.messages().get(0).payload()).isEqualTo("\"n7\"");

		assertThat(this.inbox.delete(user, sent.get(6).id())).isTrue();
		assertThat(this.inbox.delete(user, sent.get(6).id())).isFalse();
		assertThat(this.inbox.history(user, null, 3).messages()).extracting((message) -> message.seq())
			.containsExactly(6L, 5L, 4L);
		assertThat(this.inbox.find(user, sent.get(6).id())).isNull();
	}

	private List<SendResult> send(String user, int count) {
		List<SendResult> results = new ArrayList<>();
		int offset = this.store.findBefore(user, null, 1).stream().mapToInt((message) -> (int) message.seq()).sum();
		for (int i = 1; i <= count; i++) {
			results.add(this.template.sendToUser(user, NotifyMessage.of("text", "n" + (offset + i))));
		}
		return results;
	}

	private static long assertContiguous(List<Frame> frames, long firstSeq) {
		List<Long> seqs = frames.stream().map(Frame::seq).toList();
		assertThat(seqs).as("notify-seq of the frames")
			.containsExactlyElementsOf(LongStream.range(firstSeq, firstSeq + frames.size()).boxed().toList());
		assertThat(frames).extracting(Frame::id).doesNotHaveDuplicates();
		return seqs.get(seqs.size() - 1);
	}

	private void awaitSubscribed(String userId, int sessions) {
		await().atMost(StompTestClient.TIMEOUT)
			.until(() -> this.sessions.sessionsOf(userId)
				.stream()
				.filter((session) -> session.userSubscriptionCount() > 0)
				.count() >= sessions);
	}

	private static String user(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Test hooks that are real beans: a gate in front of the store's replay reads, and a
	 * router that can be told to fail once.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Hooks {

		@Bean
		static BeanPostProcessor replayGatePostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof NotifyStore store && !(bean instanceof ReplayGate)) ? new ReplayGate(store)
							: bean;
				}

			};
		}

		@Bean
		FlakyRouter flakyRouter(LocalSessions sessions, UserBlocks blocks) {
			return new FlakyRouter(new DefaultMessageRouter(sessions, blocks, ClusterRelay.NONE));
		}

	}

	/**
	 * A store that can hold a replay of one user before and after it reads the store.
	 */
	static class ReplayGate extends ForwardingNotifyStore {

		private final AtomicReference<Pause> pause = new AtomicReference<>();

		private final AtomicReference<String> failNextRead = new AtomicReference<>();

		private final AtomicReference<Map.Entry<String, CountDownLatch>> heldMarks = new AtomicReference<>();

		private final AtomicReference<Map.Entry<String, CountDownLatch>> heldFinds = new AtomicReference<>();

		ReplayGate(NotifyStore delegate) {
			super(delegate);
		}

		Pause pause(String userId) {
			Pause pause = new Pause(userId);
			this.pause.set(pause);
			return pause;
		}

		void failNextRead(String userId) {
			this.failNextRead.set(userId);
		}

		// marking a message of the user delivered waits until the latch is counted down
		CountDownLatch holdMarks(String userId) {
			CountDownLatch latch = new CountDownLatch(1);
			this.heldMarks.set(Map.entry(userId, latch));
			return latch;
		}

		// looking up a message of the user waits until the latch is counted down
		CountDownLatch holdFinds(String userId) {
			CountDownLatch latch = new CountDownLatch(1);
			this.heldFinds.set(Map.entry(userId, latch));
			return latch;
		}

		@Override
		public StoredMessage find(String userId, String id) {
			Map.Entry<String, CountDownLatch> held = this.heldFinds.get();
			if (held != null && held.getKey().equals(userId) && held.getValue().getCount() > 0) {
				awaitLatch(held.getValue());
			}
			return delegate().find(userId, id);
		}

		@Override
		public boolean markDelivered(String userId, String id) {
			Map.Entry<String, CountDownLatch> held = this.heldMarks.get();
			if (held != null && held.getKey().equals(userId)) {
				awaitLatch(held.getValue());
			}
			return delegate().markDelivered(userId, id);
		}

		@Override
		public List<StoredMessage> findAfter(String userId, long afterSeq, int limit) {
			String failing = this.failNextRead.get();
			if (userId.equals(failing) && this.failNextRead.compareAndSet(failing, null)) {
				throw new DataAccessResourceFailureException("database unavailable");
			}
			Pause pause = this.pause.get();
			if (pause == null || !pause.userId.equals(userId) || !this.pause.compareAndSet(pause, null)) {
				return delegate().findAfter(userId, afterSeq, limit);
			}
			pause.beforeQuery.countDown();
			awaitLatch(pause.query);
			List<StoredMessage> found = delegate().findAfter(userId, afterSeq, limit);
			pause.afterQuery.countDown();
			awaitLatch(pause.replay);
			return found;
		}

		static final class Pause {

			private final String userId;

			private final CountDownLatch beforeQuery = new CountDownLatch(1);

			private final CountDownLatch query = new CountDownLatch(1);

			private final CountDownLatch afterQuery = new CountDownLatch(1);

			private final CountDownLatch replay = new CountDownLatch(1);

			Pause(String userId) {
				this.userId = userId;
			}

			void awaitBeforeQuery() throws InterruptedException {
				assertThat(this.beforeQuery.await(10, TimeUnit.SECONDS)).as("replay reached the store").isTrue();
			}

			void releaseQuery() {
				this.query.countDown();
			}

			void awaitAfterQuery() throws InterruptedException {
				assertThat(this.afterQuery.await(10, TimeUnit.SECONDS)).as("replay read the store").isTrue();
			}

			void releaseReplay() {
				this.replay.countDown();
			}

		}

	}

	/**
	 * A router in front of the local one that fails once when told to, as a relay outage
	 * would.
	 */
	static class FlakyRouter implements MessageRouter {

		private final MessageRouter delegate;

		private final AtomicBoolean failNext = new AtomicBoolean();

		private final AtomicBoolean failed = new AtomicBoolean();

		FlakyRouter(MessageRouter delegate) {
			this.delegate = delegate;
		}

		void failNext() {
			this.failed.set(false);
			this.failNext.set(true);
		}

		boolean failed() {
			return this.failed.get();
		}

		@Override
		public void toUser(Notification notification) {
			if (this.failNext.compareAndSet(true, false)) {
				this.failed.set(true);
				throw new IllegalStateException("relay unavailable");
			}
			this.delegate.toUser(notification);
		}

		@Override
		public void broadcast(Notification notification) {
			this.delegate.broadcast(notification);
		}

		@Override
		public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
			return this.delegate.disconnectUser(userId, refuseReconnectsUntil);
		}

		@Override
		public void allowReconnects(String userId) {
			this.delegate.allowReconnects(userId);
		}

	}

}
