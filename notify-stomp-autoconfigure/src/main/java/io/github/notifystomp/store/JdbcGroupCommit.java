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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Group commit for saves outside a caller's transaction: callers queue their rows, and
 * writers take what is queued (up to a batch size) and store it in one transaction.
 * Nothing waits for a batch to fill: a writer starts as soon as a row is queued, so a row
 * waits at most for the batches ahead of it, and rows pile up into larger batches only
 * while the database is busy.
 * <p>
 * Users are split over lanes, one writer per lane at a time: batches written at once
 * never hold the counter of the same user, so they commit side by side instead of waiting
 * for each other's locks, and one user's rows are written in the order they were queued.
 * <p>
 * Writers are threads of a small pool that end when idle. A caller that waited the store
 * timeout while its row was still queued takes the row back and fails; once a writer took
 * the row, the caller waits for that writer's transaction, which the store timeout
 * bounds.
 */
final class JdbcGroupCommit {

	private static final int QUEUED = 0;

	private static final int TAKEN = 1;

	private static final int WITHDRAWN = 2;

	private final Lane[] lanes;

	private final ThreadPoolExecutor writers;

	private final int maxBatchSize;

	private final Duration timeout;

	private final Function<List<JdbcRow>, List<StoredMessage>> batchWriter;

	private final Function<JdbcRow, StoredMessage> singleWriter;

	/**
	 * Create a group commit.
	 * @param maxWriters the most batches written at once, each for other users
	 * @param maxBatchSize the most rows in one transaction
	 * @param timeout the store timeout
	 * @param batchWriter stores rows in one transaction, all or none; throws
	 * {@link DataIntegrityViolationException} when a row is refused, and the rows are
	 * then saved one by one
	 * @param singleWriter stores one row in its own transaction
	 */
	JdbcGroupCommit(int maxWriters, int maxBatchSize, Duration timeout,
			Function<List<JdbcRow>, List<StoredMessage>> batchWriter, Function<JdbcRow, StoredMessage> singleWriter) {
		this.lanes = new Lane[maxWriters];
		for (int i = 0; i < maxWriters; i++) {
			this.lanes[i] = new Lane();
		}
		this.maxBatchSize = maxBatchSize;
		this.timeout = timeout;
		this.batchWriter = batchWriter;
		this.singleWriter = singleWriter;
		AtomicInteger threads = new AtomicInteger();
		this.writers = new ThreadPoolExecutor(maxWriters, maxWriters, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "notify-store-writer-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.writers.allowCoreThreadTimeOut(true);
	}

	/**
	 * Store a row with others queued at the same time, and wait for its commit.
	 * @param row the row
	 * @return the stored message, with its sequence number
	 * @throws StoreUnavailableException if the row could not be stored in time
	 */
	StoredMessage save(JdbcRow row) {
		Pending pending = new Pending(row);
		Lane lane = this.lanes[Math.floorMod(row.userId().hashCode(), this.lanes.length)];
		lane.queue.add(pending);
		if (lane.writing.compareAndSet(false, true)) {
			this.writers.execute(() -> write(lane));
		}
		try {
			return pending.result.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			if (pending.state.compareAndSet(QUEUED, WITHDRAWN)) {
				lane.queue.remove(pending);
				throw StoreUnavailableException.timedOut(this.timeout, ex);
			}
			// a writer has it: its transaction ends within the store timeout
			return awaitTaken(pending);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pending.state.compareAndSet(QUEUED, WITHDRAWN);
			throw new StoreUnavailableException("Interrupted while saving a message", ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex);
		}
	}

	private StoredMessage awaitTaken(Pending pending) {
		try {
			return pending.result.get(this.timeout.toNanos() + TimeUnit.SECONDS.toNanos(2), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw StoreUnavailableException.timedOut(this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("Interrupted while saving a message", ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex);
		}
	}

	private static RuntimeException rethrow(ExecutionException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new StoreUnavailableException("Saving a message failed", cause);
	}

	// writes batches until the lane is empty; a row queued while the writer gives up is
	// seen by its check after it let go of the lane, or by the caller, which then finds
	// the lane free
	private void write(Lane lane) {
		while (true) {
			List<Pending> batch = takeBatch(lane);
			if (batch.isEmpty()) {
				lane.writing.set(false);
				if (lane.queue.isEmpty() || !lane.writing.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			write(batch);
		}
	}

	private List<Pending> takeBatch(Lane lane) {
		List<Pending> batch = new ArrayList<>();
		while (batch.size() < this.maxBatchSize) {
			Pending next = lane.queue.poll();
			if (next == null) {
				break;
			}
			if (next.state.compareAndSet(QUEUED, TAKEN)) {
				batch.add(next);
			}
		}
		return batch;
	}

	private void write(List<Pending> batch) {
		List<StoredMessage> stored;
		try {
			stored = this.batchWriter.apply(batch.stream().map(Pending::row).toList());
		}
		catch (DataIntegrityViolationException ex) {
			// one row was refused (a duplicate id): each caller learns its own outcome
			batch.forEach(this::writeAlone);
			return;
		}
		catch (RuntimeException | Error ex) {
			batch.forEach((pending) -> pending.result.completeExceptionally(ex));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).result.complete(stored.get(i));
		}
	}

	private void writeAlone(Pending pending) {
		try {
			pending.result.complete(this.singleWriter.apply(pending.row()));
		}
		catch (RuntimeException | Error ex) {
			pending.result.completeExceptionally(ex);
		}
	}

	// the rows of some of the users, and whether a writer works on them
	private static final class Lane {

		private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

		private final AtomicBoolean writing = new AtomicBoolean();

	}

	private static final class Pending {

		private final JdbcRow row;

		private final AtomicInteger state = new AtomicInteger(QUEUED);

		private final CompletableFuture<StoredMessage> result = new CompletableFuture<>();

		Pending(JdbcRow row) {
			this.row = row;
		}

		JdbcRow row() {
			return this.row;
		}

	}

}
