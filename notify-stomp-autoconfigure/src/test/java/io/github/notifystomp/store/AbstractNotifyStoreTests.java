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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.github.notifystomp.store.internal.StoreCleanup;
import org.assertj.core.data.TemporalUnitOffset;
import org.assertj.core.data.TemporalUnitWithinOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The contract every {@link NotifyStore} must keep, run against each implementation (as
 * ShedLock does for its lock providers). Each test gets a fresh, empty store.
 */
public abstract class AbstractNotifyStoreTests {

	private static final AtomicInteger ids = new AtomicInteger();

	protected NotifyStore store;

	/**
	 * Return a fresh, empty store.
	 */
	protected abstract NotifyStore createStore();

	/**
	 * Return stores that share {@link #store}'s data as other nodes would: the same
	 * instance for an in-memory store, other connection pools for a database.
	 */
	protected List<NotifyStore> nodes(int count) {
		return Collections.nCopies(count, this.store);
	}

	@BeforeEach
	void createTheStore() {
		this.store = createStore();
	}

	@AfterEach
	void releaseTheStore() {
		this.store = null;
	}

	@Test
	void whenMessagesAreSavedThenEachUserGetsSeqsFromOneUpwards() {
		assertThat(save("alice").seq()).isEqualTo(1);
		assertThat(save("alice").seq()).isEqualTo(2);
		assertThat(save("bob").seq()).isEqualTo(1);
		assertThat(save("alice").seq()).isEqualTo(3);
		assertThat(save("bob").seq()).isEqualTo(2);
	}

	@Test
	void whenTheStoreHasAnEpochThenItIsStableAndFitsTheHeader() {
		String epoch = this.store.epoch();
		assertThat(epoch).isNotNull().matches("[A-Za-z0-9._-]{1,64}");
		save("alice");
		assertThat(nodes(2)).allSatisfy((node) -> assertThat(node.epoch()).isEqualTo(epoch));
	}

	@Test
	void whenMessagesAreDeletedThenTheLastSeqStays() {
		assertThat(this.store.lastSeq("alice")).isZero();
		save("alice");
		save("alice");
		StoredMessage newest = save("alice");
		assertThat(this.store.lastSeq("alice")).isEqualTo(3);
		this.store.delete("alice", newest.id());
		assertThat(this.store.lastSeq("alice")).isEqualTo(3);
		assertThat(this.store.lastSeq("bob")).isZero();
	}

	@Test
	void whenUserIdsDifferOnlyInCaseThenTheyAreDifferentUsers() {
		save("Alice");
		save("Alice");
		assertThat(save("alice").seq()).isEqualTo(1);
		assertThat(this.store.findAfter("ALICE", 0, 10)).isEmpty();
		assertThat(this.store.findAfter("Alice", 0, 10)).hasSize(2);
	}

	@Test
	void whenSavedThenFindReturnsWhatWasSaved() {
		Instant createdAt = Instant.parse("2026-03-01T10:15:30.123456Z");
		StoredMessage saved = this.store.save("alice", "id-1", "order.shipped",
				"{\"orderId\":\"A-1\",\"note\":\"☕ ✓ 😀\"}", createdAt);

		StoredMessage found = this.store.find("alice", "id-1");

		assertThat(found).isEqualTo(saved);
		assertThat(found.userId()).isEqualTo("alice");
		assertThat(found.type()).isEqualTo("order.shipped");
		assertThat(found.payload()).isEqualTo("{\"orderId\":\"A-1\",\"note\":\"☕ ✓ 😀\"}");
		assertThat(found.createdAt()).isEqualTo(createdAt);
		assertThat(found.isDelivered()).isFalse();
		assertThat(found.isRead()).isFalse();
		assertThat(this.store.find("bob", "id-1")).isNull();
		assertThat(this.store.find("alice", "id-2")).isNull();
	}

	@Test
	void whenPayloadIsNullOrLargeThenItIsKeptAsIs() {
		String large = "\"" + "x".repeat(60 * 1024) + "\"";
		this.store.save("alice", "none", "text", null, Instant.now());
		this.store.save("alice", "large", "text", large, Instant.now());

		assertThat(this.store.find("alice", "none").payload()).isNull();
		assertThat(this.store.find("alice", "large").payload()).isEqualTo(large);
	}

	@Test
	void whenAnIdIsSavedTwiceForAUserThenRefusedWithoutUsingASeq() {
		this.store.save("alice", "dup", "text", null, Instant.now());

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.save("alice", "dup", "text", null, Instant.now()))
			.withMessageContaining("dup");

		assertThat(this.store.save("bob", "dup", "text", null, Instant.now()).seq()).isEqualTo(1);
		assertThat(save("alice").seq()).isEqualTo(2);
	}

	@Test
	void whenFindAfterThenMessagesAfterTheSeqInSeqOrderUpToTheLimit() {
		for (int i = 0; i < 10; i++) {
			save("alice");
		}
		save("bob");

		assertThat(seqs(this.store.findAfter("alice", 0, 100))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
				10L);
		assertThat(seqs(this.store.findAfter("alice", 6, 100))).containsExactly(7L, 8L, 9L, 10L);
		assertThat(seqs(this.store.findAfter("alice", 3, 2))).containsExactly(4L, 5L);
		assertThat(this.store.findAfter("alice", 10, 100)).isEmpty();
		assertThat(this.store.findAfter("carol", 0, 100)).isEmpty();
		assertThat(this.store.findAfter("alice", 0, 100)).allMatch((message) -> message.userId().equals("alice"));
	}

	@Test
	void whenFindBeforeThenPagesGoFromNewestToOldest() {
		for (int i = 0; i < 7; i++) {
			save("alice");
		}

		assertThat(seqs(this.store.findBefore("alice", null, 3))).containsExactly(7L, 6L, 5L);
		assertThat(seqs(this.store.findBefore("alice", 5L, 3))).containsExactly(4L, 3L, 2L);
		assertThat(seqs(this.store.findBefore("alice", 2L, 3))).containsExactly(1L);
		assertThat(this.store.findBefore("alice", 1L, 3)).isEmpty();
		assertThat(this.store.findBefore("bob", null, 3)).isEmpty();
	}

	@Test
	void whenMarkedDeliveredThenOnlyTheFirstTimeCountsAndOnlyForTheOwner() {
		StoredMessage message = save("alice");

		assertThat(this.store.markDelivered("bob", message.id())).isFalse();
		assertThat(this.store.find("alice", message.id()).isDelivered()).isFalse();
		assertThat(this.store.markDelivered("alice", message.id())).isTrue();
		assertThat(this.store.markDelivered("alice", message.id())).isFalse();
		assertThat(this.store.markDelivered("alice", "unknown")).isFalse();
		StoredMessage delivered = this.store.find("alice", message.id());
		assertThat(delivered.deliveredAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
		assertThat(delivered.isRead()).isFalse();
	}

	@Test
	void whenMarkedReadThenOnlyUnreadMessagesOfThatUserCount() {
		StoredMessage one = save("alice");
		StoredMessage two = save("alice");
		StoredMessage three = save("alice");
		StoredMessage bobs = save("bob");
		assertThat(this.store.countUnread("alice")).isEqualTo(3);

		assertThat(this.store.markRead("alice", List.of(one.id(), two.id(), bobs.id(), "unknown"))).isEqualTo(2);
		assertThat(this.store.markRead("alice", List.of(one.id(), three.id(), three.id()))).isEqualTo(1);
		assertThat(this.store.markRead("alice", List.of())).isZero();

		assertThat(this.store.countUnread("alice")).isZero();
		assertThat(this.store.countUnread("bob")).isEqualTo(1);
		assertThat(this.store.countUnread("carol")).isZero();
		assertThat(this.store.find("alice", one.id()).readAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
		assertThat(this.store.find("bob", bobs.id()).isRead()).isFalse();
	}

	@Test
	void whenDeletedThenGoneForGoodAndItsSeqIsNotReused() {
		StoredMessage first = save("alice");
		StoredMessage second = save("alice");

		assertThat(this.store.delete("bob", second.id())).isFalse();
		assertThat(this.store.delete("alice", second.id())).isTrue();
		assertThat(this.store.delete("alice", second.id())).isFalse();

		assertThat(this.store.find("alice", second.id())).isNull();
		assertThat(seqs(this.store.findAfter("alice", 0, 10))).containsExactly(first.seq());
		assertThat(save("alice").seq()).isEqualTo(3);
	}

	@Test
	void whenDeletingMessagesCreatedBeforeACutoffThenOnlyOlderOnesGo() {
		Instant now = Instant.now();
		for (int i = 0; i < 5; i++) {
			this.store.save("alice", "old-" + i, "text", null, now.minus(Duration.ofDays(40)));
		}
		this.store.save("bob", "old-bob", "text", null, now.minus(Duration.ofDays(31)));
		this.store.save("alice", "new", "text", null, now.minus(Duration.ofDays(1)));

		assertThat(this.store.deleteCreatedBefore(now.minus(Duration.ofDays(30)))).isEqualTo(6);
		assertThat(this.store.deleteCreatedBefore(now.minus(Duration.ofDays(30)))).isZero();

		assertThat(this.store.findAfter("alice", 0, 10)).extracting(StoredMessage::id).containsExactly("new");
		assertThat(this.store.findAfter("bob", 0, 10)).isEmpty();
		assertThat(save("bob").seq()).isEqualTo(2);
	}

	@Test
	void whenSeveralNodesCleanUpAtOnceThenEveryExpiredMessageIsDeletedOnce() throws Exception {
		Instant old = Instant.now().minus(Duration.ofDays(60));
		for (int i = 0; i < 1500; i++) {
			this.store.save("user" + (i % 7), "old-" + i, "text", null, old);
		}
		StoredMessage kept = save("user1");
		List<NotifyStore> nodes = nodes(3);
		Duration retention = Duration.ofDays(30);

		List<Integer> deleted = runConcurrently(nodes.size(),
				(node) -> new StoreCleanup(nodes.get(node), null, retention, Duration.ofHours(1)).runOnce());

		assertThat(deleted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1500);
		assertThat(this.store.findAfter("user1", 0, 1000)).containsExactly(kept);
	}

	@Test
	void whenManyThreadsOfSeveralNodesSaveForOneUserThenSeqsHaveNoGapsAndNoDuplicates() throws Exception {
		int threads = 6;
		int perThread = 40;
		List<NotifyStore> nodes = nodes(3);

		List<List<Long>> results = runConcurrently(threads, (thread) -> {
			List<Long> seqs = new ArrayList<>();
			NotifyStore node = nodes.get(thread % nodes.size());
			for (int i = 0; i < perThread; i++) {
				String user = (i % 5 == 0) ? "other" + thread : "hot";
				long seq = node.save(user, "t" + thread + "-" + i, "text", null, Instant.now()).seq();
				if (user.equals("hot")) {
					seqs.add(seq);
				}
			}
			return seqs;
		});

		List<Long> all = new ArrayList<>();
		results.forEach(all::addAll);
		long expected = all.size();
		assertThat(new TreeSet<>(all)).containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
		assertThat(all).doesNotHaveDuplicates();
		results.forEach((seqs) -> assertThat(seqs).isSorted());
		List<StoredMessage> stored = this.store.findAfter("hot", 0, 10_000);
		assertThat(seqs(stored)).containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
	}

	protected StoredMessage save(String userId) {
		return this.store.save(userId, "m-" + ids.incrementAndGet(), "text", "{\"n\":" + ids.get() + "}",
				Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	protected static List<Long> seqs(List<StoredMessage> messages) {
		return messages.stream().map(StoredMessage::seq).toList();
	}

	protected static TemporalUnitOffset within(Duration duration) {
		return new TemporalUnitWithinOffset(duration.toMillis(), ChronoUnit.MILLIS);
	}

	/**
	 * Run the task on that many threads, started together, and return their results in
	 * thread order.
	 */
	protected static <T> List<T> runConcurrently(int threads, IndexedTask<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int index = i;
				futures.add(executor.submit(() -> {
					start.await();
					return task.run(index);
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * A task that knows which of the concurrent threads runs it.
	 */
	@FunctionalInterface
	protected interface IndexedTask<T> {

		T run(int index) throws Exception;

	}

}
