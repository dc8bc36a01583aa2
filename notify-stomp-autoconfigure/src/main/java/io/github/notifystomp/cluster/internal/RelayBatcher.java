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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.notifystomp.delivery.Notification;

/**
 * The queue of user relays that a node has yet to publish, and the one thread that
 * publishes them in batches. A sender only puts its relay in the queue, so that it never
 * waits for a Redis round trip; the flusher takes what the queue holds, waits at most the
 * batch delay after the oldest relay was queued for more to join it, and hands the batch
 * to the publisher, which publishes it in one Redis call and waits for the answer before
 * the next batch. One queue, one flusher and one batch at a time keep the order in which
 * the senders queued their relays, so each user's messages arrive in order.
 */
final class RelayBatcher {

	private static final Log logger = LogFactory.getLog(RelayBatcher.class);

	// how long an idle flusher stays: a node that sends keeps its thread, one that went
	// quiet gives it back
	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final BlockingQueue<Entry> queue;

	private final Consumer<List<Entry>> publisher;

	private final Consumer<List<Entry>> onFailure;

	private final Settings settings;

	private final AtomicBoolean running = new AtomicBoolean();

	// queued or in the batch being published: what a drain waits for
	private final AtomicInteger pending = new AtomicInteger();

	// a relay taken from the queue that did not fit into the previous batch; only the
	// flusher uses it
	private Entry carried;

	/**
	 * Create a batcher.
	 * @param publisher publishes one batch, in order, and accounts for it if it fails;
	 * runs on the flusher thread
	 * @param onFailure accounts for a batch whose publisher threw
	 * @param settings limits
	 */
	RelayBatcher(Consumer<List<Entry>> publisher, Consumer<List<Entry>> onFailure, Settings settings) {
		this.queue = new ArrayBlockingQueue<>(settings.queueLimit());
		this.publisher = publisher;
		this.onFailure = onFailure;
		this.settings = settings;
	}

	/**
	 * Queue a relay, waiting for room at most the given time when the queue is full.
	 * @param entry the relay
	 * @param timeout the longest wait for room
	 * @return whether the relay was queued; {@code false} when the queue stayed full
	 */
	boolean offer(Entry entry, Duration timeout) {
		this.pending.incrementAndGet();
		boolean queued = this.queue.offer(entry);
		if (!queued) {
			try {
				queued = this.queue.offer(entry, timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (!queued) {
			this.pending.decrementAndGet();
			return false;
		}
		if (!this.running.get() && this.running.compareAndSet(false, true)) {
			startFlusher();
		}
		return true;
	}

	/**
	 * Wait until every relay queued so far is published or accounted for, at most the
	 * given time.
	 * @param timeout the longest wait
	 * @return whether nothing is left
	 */
	boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.pending.get() > 0) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return this.pending.get() == 0;
			}
		}
		return true;
	}

	/**
	 * Take the relays still queued, which the flusher will not publish.
	 * @return them, in order
	 */
	List<Entry> takeQueued() {
		List<Entry> taken = new ArrayList<>();
		this.queue.drainTo(taken);
		this.pending.addAndGet(-taken.size());
		return taken;
	}

	/**
	 * How many relays wait to be published.
	 */
	int pending() {
		return this.pending.get();
	}

	private void startFlusher() {
		Thread thread = new Thread(this::run, "notify-stomp-relay-" + this.settings.nodeId());
		thread.setDaemon(true);
		thread.start();
	}

	private void run() {
		long idleSince = System.nanoTime();
		while (true) {
			List<Entry> batch = nextBatch();
			if (batch.isEmpty()) {
				if (System.nanoTime() - idleSince >= IDLE_NANOS) {
					this.running.set(false);
					// a relay queued after the last poll and before the flag went down
					// found the flusher running: take it over or leave
					if (this.queue.isEmpty() || !this.running.compareAndSet(false, true)) {
						return;
					}
				}
				continue;
			}
			try {
				this.publisher.accept(batch);
			}
			catch (RuntimeException | Error ex) {
				// the flusher goes on whatever failed: a flusher that died would leave
				// every later relay in the queue
				logger.warn("notify-stomp cluster: relay batch not published: " + ClusterStatus.describe(ex));
				failed(batch);
			}
			finally {
				this.pending.addAndGet(-batch.size());
			}
			idleSince = System.nanoTime();
		}
	}

	private void failed(List<Entry> batch) {
		try {
			this.onFailure.accept(batch);
		}
		catch (RuntimeException | Error ex) {
			logger.warn("notify-stomp cluster: " + batch.size() + " relay(s) not published and not accounted for: "
					+ ClusterStatus.describe(ex));
		}
	}

	// the oldest relay, and those queued behind it until the batch is full or the oldest
	// waited the batch delay; empty after a second with nothing queued. Nobody
	// interrupts the flusher; if someone does, what was taken from the queue goes out
	// all the same
	private List<Entry> nextBatch() {
		Entry first = this.carried;
		this.carried = null;
		if (first == null) {
			first = poll(TimeUnit.SECONDS.toNanos(1));
			if (first == null) {
				return List.of();
			}
		}
		List<Entry> batch = new ArrayList<>();
		batch.add(first);
		long chars = first.length();
		long lingerUntil = first.queuedNanos() + this.settings.batchDelay().toNanos();
		while (batch.size() < this.settings.maxBatchSize()) {
			Entry next = this.queue.poll();
			if (next == null) {
				long wait = lingerUntil - System.nanoTime();
				next = (wait > 0) ? poll(wait) : null;
				if (next == null) {
					break;
				}
			}
			if (chars + next.length() > this.settings.maxBatchChars()) {
				this.carried = next;
				break;
			}
			batch.add(next);
			chars += next.length();
		}
		return batch;
	}

	private Entry poll(long nanos) {
		try {
			return this.queue.poll(nanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			return null;
		}
	}

	/**
	 * A user message to relay.
	 *
	 * @param notification the message
	 * @param reachedHere how many sessions of this node it reached
	 * @param framed the message as a batch entry, signed if the cluster signs
	 * @param queuedNanos when it was queued, in {@link System#nanoTime()}
	 */
	record Entry(Notification notification, int reachedHere, RelayBatches.Entry framed, long queuedNanos) {

		int length() {
			return this.framed.framed().length();
		}

	}

	/**
	 * Limits of the batcher.
	 *
	 * @param nodeId this node's id, in the flusher's thread name
	 * @param queueLimit the most relays queued
	 * @param batchDelay the longest time the oldest relay of a batch waits for more
	 * @param maxBatchSize the most relays in one batch
	 * @param maxBatchChars the most characters of batch entries in one batch
	 */
	record Settings(String nodeId, int queueLimit, Duration batchDelay, int maxBatchSize, long maxBatchChars) {

	}

}
