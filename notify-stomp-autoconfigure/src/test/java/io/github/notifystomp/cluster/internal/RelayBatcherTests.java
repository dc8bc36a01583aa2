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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelayBatcher}: the order of the queue, what a batch may hold, and what
 * happens when the queue is full. Behaviour only; the speed of batching is measured by
 * the benchmarks.
 */
class RelayBatcherTests {

	private static final Duration GENEROUS = Duration.ofSeconds(10);

	private final RelayCodec codec = new RelayCodec(1 << 20, null, TestPayloadJson.create());

	private final List<List<RelayBatcher.Entry>> batches = new CopyOnWriteArrayList<>();

	private final List<List<RelayBatcher.Entry>> failed = new CopyOnWriteArrayList<>();

	@Test
	void whenThePublisherThrowsThenTheBatchIsAccountedForAndLaterRelaysStillGoOut() {
		RelayBatcher batcher = new RelayBatcher((batch) -> {
			if (batch.get(0).notification().payload().equals("0")) {
				throw new StackOverflowError("from the publisher");
			}
			this.batches.add(batch);
		}, this.failed::add, settings(10, Duration.ZERO, 64));
		assertThat(batcher.offer(entry("alice", 0), GENEROUS)).isTrue();
		assertThat(batcher.flush(GENEROUS)).isTrue();

		assertThat(batcher.offer(entry("alice", 1), GENEROUS)).isTrue();
		assertThat(batcher.flush(GENEROUS)).isTrue();

		assertThat(this.failed.stream().flatMap(List::stream).map((entry) -> entry.notification().payload()))
			.containsExactly("0");
		assertThat(this.batches.stream().flatMap(List::stream).map((entry) -> entry.notification().payload()))
			.containsExactly("1");
	}

	@Test
	void whenManyRelaysAreQueuedFromSeveralThreadsThenEachThreadsRelaysArePublishedOnceInOrder() throws Exception {
		RelayBatcher batcher = new RelayBatcher(this.batches::add, this.failed::add,
				settings(100_000, Duration.ofMillis(1), 64));
		int threads = 4;
		int perThread = 5_000;
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		for (int t = 0; t < threads; t++) {
			String user = "user-" + t;
			senders.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < perThread; i++) {
					assertThat(batcher.offer(entry(user, i), GENEROUS)).isTrue();
				}
			}, pool));
		}
		try {
			CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdown();
		}
		assertThat(batcher.flush(GENEROUS)).isTrue();

		int[] next = new int[threads];
		for (List<RelayBatcher.Entry> batch : this.batches) {
			assertThat(batch).hasSizeBetween(1, 64);
			for (RelayBatcher.Entry entry : batch) {
				int user = Integer.parseInt(entry.notification().userId().substring(5));
				assertThat(Integer.parseInt(entry.notification().payload())).as("next relay of user %d", user)
					.isEqualTo(next[user]++);
			}
		}
		assertThat(next).containsOnly(perThread);
		assertThat(batcher.pending()).isZero();
	}

	@Test
	void whenALoneRelayIsQueuedThenItIsPublishedWithoutFurtherRelays() {
		RelayBatcher batcher = new RelayBatcher(this.batches::add, this.failed::add,
				settings(10, Duration.ofMillis(100), 64));

		assertThat(batcher.offer(entry("alice", 1), GENEROUS)).isTrue();

		Awaitility.await("the lone relay is published").atMost(GENEROUS).until(() -> this.batches.size() == 1);
		assertThat(this.batches.get(0)).extracting((entry) -> entry.notification().payload()).containsExactly("1");
	}

	@Test
	void whenABatchWouldOutgrowTheLongestRelayThenTheRestGoesInTheNextBatch() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Consumer<List<RelayBatcher.Entry>> publisher = (batch) -> {
			this.batches.add(batch);
			await(release);
		};
		long oneEntry = entry("alice", 0).length();
		RelayBatcher batcher = new RelayBatcher(publisher, this.failed::add,
				new RelayBatcher.Settings("node-a", 100, Duration.ZERO, 100, 3 * oneEntry));
		batcher.offer(entry("alice", 0), GENEROUS);
		Awaitility.await().atMost(GENEROUS).until(() -> this.batches.size() == 1);
		for (int i = 1; i <= 7; i++) {
			batcher.offer(entry("alice", i), GENEROUS);
		}

		release.countDown();

		assertThat(batcher.flush(GENEROUS)).isTrue();
		assertThat(this.batches).extracting(List::size).containsExactly(1, 3, 3, 1);
	}

	@Test
	void whenTheQueueStaysFullThenAnOfferGivesUpAfterItsTimeout() {
		CountDownLatch release = new CountDownLatch(1);
		RelayBatcher batcher = fullBatcher(release);

		assertThat(batcher.offer(entry("alice", 2), Duration.ofMillis(50))).isFalse();
		assertThat(batcher.pending()).isEqualTo(2);

		release.countDown();
		assertThat(batcher.flush(GENEROUS)).isTrue();
		assertThat(this.batches.stream().flatMap(List::stream).map((entry) -> entry.notification().payload()))
			.containsExactly("0", "1");
	}

	@Test
	void whenTheQueueIsFullThenASenderWaitsForRoomAndItsRelayGoesOutInOrder() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		RelayBatcher batcher = fullBatcher(release);

		CompletableFuture<Boolean> held = CompletableFuture
			.supplyAsync(() -> batcher.offer(entry("alice", 2), GENEROUS));
		Awaitility.await("the third relay waits for room")
			.atMost(GENEROUS)
			.until(() -> batcher.pending() == 3 && !held.isDone());

		release.countDown();
		assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(batcher.flush(GENEROUS)).isTrue();
		assertThat(this.batches.stream().flatMap(List::stream).map((entry) -> entry.notification().payload()))
			.containsExactly("0", "1", "2");
		assertThat(this.failed).isEmpty();
	}

	@Test
	void whenTheFlusherIsBusyThenFlushGivesUpAtItsTimeoutAndWhatIsStillQueuedCanBeTaken() {
		CountDownLatch release = new CountDownLatch(1);
		RelayBatcher batcher = new RelayBatcher((batch) -> {
			this.batches.add(batch);
			await(release);
		}, this.failed::add, settings(10, Duration.ZERO, 64));
		batcher.offer(entry("alice", 0), GENEROUS);
		Awaitility.await("the flusher took the first relay").atMost(GENEROUS).until(() -> this.batches.size() == 1);
		batcher.offer(entry("alice", 1), GENEROUS);

		assertThat(batcher.flush(Duration.ofMillis(20))).isFalse();
		assertThat(batcher.pending()).isEqualTo(2);
		assertThat(batcher.takeQueued()).extracting((entry) -> entry.notification().payload()).containsExactly("1");
		assertThat(batcher.pending()).isEqualTo(1);

		release.countDown();
		assertThat(batcher.flush(GENEROUS)).isTrue();
		assertThat(this.batches).hasSize(1);
	}

	private RelayBatcher.Entry entry(String user, int index) {
		Notification notification = new Notification("m-" + index, "text", Integer.toString(index),
				Instant.parse("2026-01-01T00:00:00Z"), null, user, 0, null);
		return new RelayBatcher.Entry(notification, 0,
				new RelayBatches(1 << 20).entry(this.codec.user("node-a", notification)), System.nanoTime());
	}

	private static RelayBatcher.Settings settings(int queueLimit, Duration delay, int maxBatchSize) {
		return new RelayBatcher.Settings("node-a", queueLimit, delay, maxBatchSize, 1 << 20);
	}

	// a batcher whose queue of one holds relay 1 while its publisher holds relay 0 until
	// the latch is released
	private RelayBatcher fullBatcher(CountDownLatch release) {
		RelayBatcher batcher = new RelayBatcher((batch) -> {
			this.batches.add(batch);
			await(release);
		}, this.failed::add, settings(1, Duration.ZERO, 64));
		assertThat(batcher.offer(entry("alice", 0), GENEROUS)).isTrue();
		Awaitility.await("the flusher took the first relay").atMost(GENEROUS).until(() -> this.batches.size() == 1);
		assertThat(batcher.offer(entry("alice", 1), GENEROUS)).isTrue();
		return batcher;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
