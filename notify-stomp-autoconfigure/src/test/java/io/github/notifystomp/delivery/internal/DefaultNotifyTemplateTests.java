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

package io.github.notifystomp.delivery.internal;

import java.net.SocketException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.DisconnectedClientHelper;

import io.github.notifystomp.MessageTypeRegistry;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifySendException;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.test.ForwardingNotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link DefaultNotifyTemplate}'s store-then-route path against PostgreSQL: what
 * is stored and routed, when, and in which transaction.
 */
class DefaultNotifyTemplateTests {

	private static TestDatabase database;

	private static DataSource dataSource;

	private final RecordingRouter router = new RecordingRouter();

	private SlowStore store;

	private TransactionTemplate transaction;

	@BeforeAll
	static void startDatabase() {
		database = Databases.postgres();
		dataSource = database.newDataSource(6);
	}

	@AfterAll
	static void stopDatabase() {
		if (database != null) {
			database.close();
		}
	}

	@BeforeEach
	void createStore() {
		JdbcNotifyStore jdbc = new JdbcNotifyStore(dataSource, "t" + System.nanoTime() + "_");
		jdbc.initializeSchema();
		this.store = new SlowStore(jdbc);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	@Test
	void whenSentOutsideATransactionThenStoredAndRoutedAtOnce() {
		SendResult result = template(this.store).sendToUser("alice", NotifyMessage.of("text", "hi"));

		assertThat(result.seq()).isEqualTo(1);
		assertThat(this.router.routed).singleElement().satisfies((notification) -> {
			assertThat(notification.id()).isEqualTo(result.id());
			assertThat(notification.seq()).isEqualTo(1);
			assertThat(notification.userId()).isEqualTo("alice");
		});
		assertThat(this.store.find("alice", result.id())).isNotNull();
	}

	@Test
	void whenSentInATransactionThenRoutedOnlyAfterCommitAndNotAtAllAfterRollback() {
		DefaultNotifyTemplate template = template(this.store);

		this.transaction.executeWithoutResult((status) -> {
			template.sendToUser("alice", NotifyMessage.of("text", "committed"));
			assertThat(this.router.routed).isEmpty();
		});
		assertThat(this.router.routed).hasSize(1);

		this.transaction.executeWithoutResult((status) -> {
			template.sendToUsers(List.of("alice", "bob"), NotifyMessage.of("text", "rolled back"));
			status.setRollbackOnly();
		});
		assertThat(this.router.routed).hasSize(1);
		assertThat(seqs(this.store.findAfter("alice", 0, 10))).containsExactly(1L);
		assertThat(this.store.findAfter("bob", 0, 10)).isEmpty();
	}

	@Test
	void whenTwoTransactionsSendToTheSameUsersInOppositeOrderThenNeitherDeadlocks() throws Exception {
		DefaultNotifyTemplate template = template(this.store);
		this.store.pauseAfterSave = true;
		int rounds = 8;

		runTogether(2, (thread) -> {
			List<String> users = (thread == 0) ? List.of("ann", "ben") : List.of("ben", "ann");
			for (int i = 0; i < rounds; i++) {
				this.transaction
					.executeWithoutResult((status) -> template.sendToUsers(users, NotifyMessage.of("text", "round")));
			}
		});

		for (String user : List.of("ann", "ben")) {
			assertThat(seqs(this.store.findAfter(user, 0, 100)))
				.containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * rounds).boxed().toList());
		}
		assertThat(this.router.routed).hasSize(4 * rounds);
	}

	@Test
	void whenAUserIsNamedTwiceThenTheMessageIsStoredAndRoutedOnceForThem() {
		List<SendResult> results = template(this.store).sendToUsers(List.of("carol", "dave", "carol"),
				NotifyMessage.of("text", "once"));

		assertThat(results).hasSize(3);
		assertThat(results.get(0)).isEqualTo(results.get(2));
		assertThat(results).extracting(SendResult::seq).containsExactly(1L, 1L, 1L);
		assertThat(this.router.routed).extracting(Notification::userId).containsExactlyInAnyOrder("carol", "dave");
		assertThat(this.store.findAfter("carol", 0, 10)).hasSize(1);
	}

	@Test
	void whenATransientMessageNamesAUserTwiceThenItIsRoutedOnceForThem() {
		template(this.store).sendToUsers(List.of("carol", "carol"),
				NotifyMessage.builder("typing").transientMessage().build());

		assertThat(this.router.routed).singleElement().satisfies((notification) -> {
			assertThat(notification.userId()).isEqualTo("carol");
			assertThat(notification.seq()).isNull();
		});
		assertThat(this.store.findAfter("carol", 0, 10)).isEmpty();
	}

	@Test
	void whenALaterSaveFailsThenTheSendFailsButWhatWasStoredIsStillRouted() {
		this.store.failSavesFor = "zed";

		assertThatExceptionOfType(NotifySendException.class)
			.isThrownBy(() -> template(this.store).sendToUsers(List.of("zed", "amy"), NotifyMessage.of("text", "half")))
			.withMessageContaining("after storing it for 1 of 2 users");

		assertThat(this.router.routed).extracting(Notification::userId).containsExactly("amy");
		assertThat(this.store.findAfter("amy", 0, 10)).hasSize(1);
	}

	@Test
	void whenTheStoreIsDownThenTheSendFailsAndNothingIsRouted() {
		this.store.failSavesFor = "amy";

		assertThatExceptionOfType(NotifySendException.class)
			.isThrownBy(() -> template(this.store).sendToUser("amy", NotifyMessage.of("text", "lost?")))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
				.isInstanceOf(DataAccessResourceFailureException.class));

		assertThat(this.router.routed).isEmpty();
	}

	@Test
	void whenRoutingFailsThenTheSendSucceedsAndTheMessageStaysStored() {
		this.router.fail = true;

		SendResult result = template(this.store).sendToUser("eve", NotifyMessage.of("text", "kept"));

		assertThat(result.seq()).isEqualTo(1);
		assertThat(this.store.find("eve", result.id())).isNotNull();
	}

	@Test
	void whenTheStoreCannotJoinTransactionsThenTheMessageIsStoredAndRoutedAfterCommitOnly() {
		MemoryNotifyStore memory = new MemoryNotifyStore(100);
		DefaultNotifyTemplate template = template(memory);

		SendResult result = this.transaction.execute((status) -> {
			SendResult sent = template.sendToUser("fay", NotifyMessage.of("text", "later"));
			assertThat(memory.findAfter("fay", 0, 10)).isEmpty();
			return sent;
		});
		this.transaction.executeWithoutResult((status) -> {
			template.sendToUser("fay", NotifyMessage.of("text", "never"));
			status.setRollbackOnly();
		});

		assertThat(result.seq()).isNull();
		assertThat(memory.findAfter("fay", 0, 10)).extracting(StoredMessage::id).containsExactly(result.id());
		assertThat(this.router.routed).singleElement().satisfies((notification) -> {
			assertThat(notification.id()).isEqualTo(result.id());
			assertThat(notification.seq()).isEqualTo(1);
		});
	}

	@Test
	void whenStoredThenTheCreationTimeIsTheOneTheStoreKeeps() {
		Instant precise = Instant.parse("2026-05-01T12:00:00.123456789Z");

		SendResult result = template(this.store).sendToUser("gus",
				NotifyMessage.builder("text").createdAt(precise).build());

		Instant stored = this.store.find("gus", result.id()).createdAt();
		assertThat(this.router.routed.get(0).createdAt()).isEqualTo(stored)
			.isEqualTo(Instant.parse("2026-05-01T12:00:00.123456Z"));
	}

	@Test
	void whenTheStoreFailsWithAConnectionResetThenTheSenderGetsAFailureNoFrameworkTakesForAClientDisconnect() {
		NotifyStore resetting = new ForwardingNotifyStore(new MemoryNotifyStore(10)) {

			@Override
			public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
				throw new DataAccessResourceFailureException("I/O error: Connection reset",
						new SocketException("Connection reset"));
			}

		};

		assertThatExceptionOfType(NotifySendException.class)
			.isThrownBy(() -> template(resetting).sendToUser("hal", NotifyMessage.of("text", "x")))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("DataAccessResourceFailureException").doesNotContain("reset");
				assertThat(ex.getCause()).isNull();
				assertThat(ex.getSuppressed()).singleElement().isInstanceOf(DataAccessResourceFailureException.class);
				assertThat(DisconnectedClientHelper.isClientDisconnectedException(ex)).isFalse();
			});
		assertThat(this.router.routed).isEmpty();
	}

	private DefaultNotifyTemplate template(NotifyStore store) {
		return new DefaultNotifyTemplate(new NotificationJson(TestPayloadJson.create()), new MessageTypeRegistry(false),
				store, this.router, null, null, 64 * 1024, NotifyMetrics.NONE);
	}

	private static List<Long> seqs(List<StoredMessage> messages) {
		return messages.stream().map(StoredMessage::seq).toList();
	}

	private static void runTogether(int threads, ThreadTask task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int index = i;
				futures.add(executor.submit(() -> {
					start.await();
					task.run(index);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@FunctionalInterface
	private interface ThreadTask {

		void run(int thread) throws Exception;

	}

	/**
	 * Records what is routed; fails every route when told to.
	 */
	static final class RecordingRouter implements MessageRouter {

		final List<Notification> routed = new CopyOnWriteArrayList<>();

		volatile boolean fail;

		@Override
		public void toUser(Notification notification) {
			if (this.fail) {
				throw new IllegalStateException("relay unavailable");
			}
			this.routed.add(notification);
		}

		@Override
		public void broadcast(Notification notification) {
			this.routed.add(notification);
		}

		@Override
		public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
			return true;
		}

		@Override
		public void allowReconnects(String userId) {
		}

	}

	/**
	 * A store that can hold each save a moment (so that concurrent transactions overlap)
	 * or fail the saves of one user, as a database outage would.
	 */
	static final class SlowStore extends ForwardingNotifyStore {

		volatile boolean pauseAfterSave;

		volatile String failSavesFor;

		SlowStore(NotifyStore delegate) {
			super(delegate);
		}

		@Override
		public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
			if (userId.equals(this.failSavesFor)) {
				throw new DataAccessResourceFailureException("database unavailable");
			}
			StoredMessage saved = delegate().save(userId, id, type, payload, createdAt);
			if (this.pauseAfterSave) {
				try {
					Thread.sleep(30);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return saved;
		}

	}

}
