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

package io.github.notifystomp.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link NotifyStore} contract plus what only a shared database can show: saves that
 * join a caller's transaction, other connections waiting for a user's counter, readers
 * that only ever see sequence numbers in commit order, and schema creation by several
 * nodes at once. Each test uses its own table prefix.
 */
abstract class AbstractJdbcNotifyStoreTests extends AbstractNotifyStoreTests {

	private static final AtomicInteger prefixes = new AtomicInteger();

	private String prefix;

	/**
	 * Return the connection pool the store under test uses.
	 */
	protected abstract DataSource dataSource();

	/**
	 * Return further connection pools on the same database, as other nodes have.
	 */
	protected abstract List<DataSource> otherDataSources();

	@Override
	protected NotifyStore createStore() {
		this.prefix = "t" + prefixes.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 1_000_000, 36) + "_";
		JdbcNotifyStore store = new JdbcNotifyStore(dataSource(), this.prefix);
		store.initializeSchema();
		return store;
	}

	@Override
	protected List<NotifyStore> nodes(int count) {
		List<NotifyStore> nodes = new ArrayList<>();
		nodes.add(this.store);
		List<DataSource> others = otherDataSources();
		for (int i = 1; i < count; i++) {
			nodes.add(new JdbcNotifyStore(others.get((i - 1) % others.size()), this.prefix));
		}
		return nodes;
	}

	@Test
	void whenSavedInACallerTransactionThatRollsBackThenNothingIsStoredAndTheSeqIsUsedAgain() {
		save("alice");
		TransactionTemplate transaction = transaction(dataSource());

		transaction.executeWithoutResult((status) -> {
			assertThat(save("alice").seq()).isEqualTo(2);
			status.setRollbackOnly();
		});

		assertThat(seqs(this.store.findAfter("alice", 0, 10))).containsExactly(1L);
		assertThat(save("alice").seq()).isEqualTo(2);
	}

	@Test
	void whenSavedInACallerTransactionThenOtherConnectionsSeeItOnlyAfterCommit() {
		NotifyStore otherNode = nodes(2).get(1);
		TransactionTemplate transaction = transaction(dataSource());

		transaction.executeWithoutResult((status) -> {
			save("alice");
			assertThat(otherNode.findAfter("alice", 0, 10)).isEmpty();
		});

		assertThat(seqs(otherNode.findAfter("alice", 0, 10))).containsExactly(1L);
	}

	@Test
	void whenATransactionHoldsASeqThenOtherSavesWaitAndReadersNeverSeeALaterSeqFirst() throws Exception {
		save("alice");
		NotifyStore otherNode = nodes(2).get(1);
		CountDownLatch saved = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> transaction(dataSource()).execute((s) -> {
			long seq = save("alice").seq();
			saved.countDown();
			await(commit);
			return seq;
		}));
		assertThat(saved.await(30, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Long> second = CompletableFuture
			.supplyAsync(() -> otherNode.save("alice", "second", "text", null, Instant.now()).seq());

		// the second save cannot get a seq while the first transaction holds the counter
		assertThat(second).failsWithin(Duration.ofMillis(500)).withThrowableOfType(TimeoutException.class);
		assertThat(seqs(otherNode.findAfter("alice", 1, 10))).isEmpty();
		commit.countDown();
		assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(2);
		assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(seqs(otherNode.findAfter("alice", 0, 10))).containsExactly(1L, 2L, 3L);
	}

	@Test
	void whenAnIdIsSavedTwiceInACallerTransactionThenTheSaveFails() {
		save("alice");
		TransactionTemplate transaction = transaction(dataSource());
		String id = this.store.findAfter("alice", 0, 1).get(0).id();

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> transaction
			.executeWithoutResult((status) -> this.store.save("alice", id, "text", null, Instant.now())));

		assertThat(save("alice").seq()).isEqualTo(2);
	}

	@Test
	void whenSeveralNodesCreateTheSchemaAtOnceThenAllSucceed() throws Exception {
		String shared = "s" + prefixes.incrementAndGet() + "_";
		List<DataSource> dataSources = new ArrayList<>(otherDataSources());
		dataSources.add(dataSource());

		runConcurrently(dataSources.size(), (node) -> {
			new JdbcNotifyStore(dataSources.get(node), shared).initializeSchema();
			return null;
		});

		JdbcNotifyStore store = new JdbcNotifyStore(dataSource(), shared);
		assertThat(store.isSchemaPresent()).isTrue();
		assertThat(store.save("alice", "a", "text", null, Instant.now()).seq()).isEqualTo(1);
		assertThat(new JdbcTemplate(dataSource())
			.queryForObject("SELECT MAX(version) FROM " + shared + "schema_version", Integer.class)).isEqualTo(1);
	}

	@Test
	void whenTheTablesAreMissingThenTheSchemaCheckNamesTheScript() {
		JdbcNotifyStore store = new JdbcNotifyStore(dataSource(), "missing_");

		assertThat(store.isSchemaPresent()).isFalse();
		assertThatExceptionOfType(StoreSchemaMissingException.class).isThrownBy(store::checkSchema).satisfies((ex) -> {
			assertThat(ex.getTables()).contains("missing_message", "missing_user_seq");
			assertThat(ex.getScript()).startsWith("classpath:io/github/notifystomp/store/jdbc/schema-")
				.endsWith(".sql");
		});
	}

	@Test
	void whenInitializedAgainThenExistingMessagesStay() {
		save("alice");

		((JdbcNotifyStore) this.store).initializeSchema();

		assertThat(this.store.findAfter("alice", 0, 10)).hasSize(1);
		assertThat(save("alice").seq()).isEqualTo(2);
	}

	@Test
	void whenManySendersSaveAtOnceThenTheirMessagesShareTransactionsAndEachUsersSeqsStayInOrder() throws Exception {
		TransactionCountingDataSource counted = new TransactionCountingDataSource(dataSource());
		JdbcNotifyStore store = new JdbcNotifyStore(counted, this.prefix, JdbcNotifyStore.DEFAULT_TIMEOUT, 50);
		int threads = 12;
		int perThread = 25;

		List<List<StoredMessage>> results = runConcurrently(threads, (thread) -> {
			List<StoredMessage> saved = new ArrayList<>();
			for (int i = 0; i < perThread; i++) {
				saved.add(store.save("user" + (i % 3), "g" + thread + "-" + i, "text", "{\"n\":" + i + "}",
						Instant.now()));
			}
			return saved;
		});

		Map<String, List<StoredMessage>> byUser = new TreeMap<>();
		for (List<StoredMessage> saved : results) {
			for (String user : List.of("user0", "user1", "user2")) {
				// one sender's messages to a user keep the order it sent them in
				assertThat(seqs(saved.stream().filter((m) -> m.userId().equals(user)).toList())).isSorted();
			}
			saved.forEach((m) -> byUser.computeIfAbsent(m.userId(), (k) -> new ArrayList<>()).add(m));
		}
		byUser.forEach((user, saved) -> {
			List<StoredMessage> stored = this.store.findAfter(user, 0, 1000);
			assertThat(seqs(stored))
				.containsExactlyElementsOf(LongStream.rangeClosed(1, saved.size()).boxed().toList());
			saved.forEach((m) -> assertThat(stored.get((int) m.seq() - 1).id()).isEqualTo(m.id()));
		});
		assertThat(counted.transactions()).as("transactions for %d saves", threads * perThread)
			.isLessThan(threads * perThread);
	}

	@Test
	void whenOneSenderSavesAloneThenEachSaveCommitsAtOnceWithoutWaitingForABatchToFill() {
		TransactionCountingDataSource counted = new TransactionCountingDataSource(dataSource());
		JdbcNotifyStore store = new JdbcNotifyStore(counted, this.prefix, JdbcNotifyStore.DEFAULT_TIMEOUT, 50);

		for (int i = 0; i < 20; i++) {
			assertThat(store.save("alice", "alone-" + i, "text", null, Instant.now()).seq()).isEqualTo(i + 1);
			assertThat(counted.transactions()).isEqualTo(i + 1);
		}
	}

	@Test
	void whenTheBatchSizeIsOneThenEachSaveHasATransactionOfItsOwn() throws Exception {
		TransactionCountingDataSource counted = new TransactionCountingDataSource(dataSource());
		JdbcNotifyStore store = new JdbcNotifyStore(counted, this.prefix, JdbcNotifyStore.DEFAULT_TIMEOUT, 1);

		runConcurrently(4, (thread) -> {
			for (int i = 0; i < 10; i++) {
				store.save("alice", "one" + thread + "-" + i, "text", null, Instant.now());
			}
			return null;
		});

		assertThat(counted.transactions()).isEqualTo(40);
		assertThat(this.store.findAfter("alice", 0, 100)).hasSize(40);
	}

	@Test
	void whenFarMoreCallersThanConnectionsSaveAtOnceThenEachWaitsItsTurnAndAllAreStored() throws Exception {
		// a transaction per message: each caller waits for a connection of its own, as
		// the request threads of an application (200 on Tomcat) do
		JdbcNotifyStore store = new JdbcNotifyStore(dataSource(), this.prefix, JdbcNotifyStore.DEFAULT_TIMEOUT, 1);
		int threads = 150;

		runConcurrently(threads, (thread) -> {
			for (int i = 0; i < 4; i++) {
				store.save("crowd" + (thread % 10), "c" + thread + "-" + i, "text", null, Instant.now());
			}
			return null;
		});

		for (int user = 0; user < 10; user++) {
			assertThat(seqs(this.store.findAfter("crowd" + user, 0, 1000)))
				.containsExactlyElementsOf(LongStream.rangeClosed(1, threads / 10 * 4).boxed().toList());
		}
	}

	@Test
	void whenOneMessageOfABatchIsADuplicateThenOnlyItsSendFailsAndNoSeqIsLost() throws Exception {
		String taken = save("alice").id();
		int threads = 8;
		int perThread = 10;

		List<List<Object>> outcomes = runConcurrently(threads, (thread) -> {
			List<Object> results = new ArrayList<>();
			for (int i = 0; i < perThread; i++) {
				String id = (thread == 3 && i == 5) ? taken : "d" + thread + "-" + i;
				try {
					results.add(this.store.save("alice", id, "text", null, Instant.now()));
				}
				catch (IllegalArgumentException ex) {
					results.add(ex);
				}
			}
			return results;
		});

		List<Object> all = outcomes.stream().flatMap(List::stream).toList();
		assertThat(all).filteredOn(IllegalArgumentException.class::isInstance)
			.singleElement()
			.satisfies((ex) -> assertThat(((Exception) ex).getMessage()).contains(taken));
		assertThat(seqs(this.store.findAfter("alice", 0, 1000)))
			.containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
	}

	@Test
	void whenBatchedMessagesHoldQuotesBracesAndNullsThenTheyAreStoredAsSent() throws Exception {
		List<String> payloads = List.of("{\"a\":\"x,y\"}", "{\"q\":\"\\\"}\\\\\"}", "NULL", "", "{\"u\":\"é€😀\"}");
		int threads = 10;

		List<StoredMessage> saved = runConcurrently(threads, (thread) -> {
			String payload = (thread == payloads.size()) ? null : payloads.get(thread % payloads.size());
			return this.store.save("user{" + (thread % 3) + "}", "id,\"" + thread + "\\", "t\"NULL", payload,
					Instant.parse("2026-01-02T03:04:05.123456Z"));
		});

		for (StoredMessage message : saved) {
			StoredMessage stored = this.store.find(message.userId(), message.id());
			assertThat(stored).usingRecursiveComparison().isEqualTo(message);
		}
		assertThat(saved).filteredOn((m) -> m.payload() == null).hasSize(1);
	}

	@Test
	void whenThePoolDoesNotCommitAutomaticallyThenBatchedSavesAreCommitted() throws Exception {
		DataSource manualCommit = new DelegatingDataSource(dataSource()) {

			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				connection.setAutoCommit(false);
				return connection;
			}

		};
		JdbcNotifyStore store = new JdbcNotifyStore(manualCommit, this.prefix);
		int threads = 8;

		runConcurrently(threads, (thread) -> {
			for (int i = 0; i < 10; i++) {
				store.save("alice", "m" + thread + "-" + i, "text", null, Instant.now());
			}
			return null;
		});

		// read on another node: only what was committed
		assertThat(seqs(nodes(2).get(1).findAfter("alice", 0, 1000)))
			.containsExactlyElementsOf(LongStream.rangeClosed(1, threads * 10).boxed().toList());
	}

	private static TransactionTemplate transaction(DataSource dataSource) {
		return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("latch not released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
