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

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;

/**
 * Stored user messages sent to an acknowledging subscription and not yet ACKed. An ACK
 * marks the message delivered in the store (so every node sees it); a NACK, or no ACK
 * within the timeout, sends it again to the user's current acknowledging sessions, on any
 * node, up to the attempt limit. After that it is left for replay. Nothing here touches
 * the store on the client's thread: ACK marks and redeliveries (which first ask the store
 * whether the message is still undelivered) are queued and carried out by one worker at a
 * time on the delivery pool, so a slow or absent database never holds the transport; what
 * the store could not answer (it was down) is tried again on a later check.
 */
public class Redelivery {

	private static final Log logger = LogFactory.getLog(Redelivery.class);

	// (user, notification id) -> the latest attempt and when it times out
	private final Map<Key, Pending> pending = new ConcurrentHashMap<>();

	// ACKed and not yet recorded in the store (queued, or the store was down)
	private final Set<Key> unmarked = ConcurrentHashMap.newKeySet();

	// NACKed or overdue and not yet sent again (the store is asked first)
	private final Queue<Notification> toRedeliver = new ConcurrentLinkedQueue<>();

	private final AtomicInteger toRedeliverCount = new AtomicInteger();

	// one store worker at a time; the next one is started when it finishes
	private final AtomicBoolean working = new AtomicBoolean();

	private final Executor storeWriter;

	private final NotifyStore store;

	private final Supplier<MessageRouter> router;

	private final Duration ackTimeout;

	private final int maxAttempts;

	private final int maxPending;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	/**
	 * Create the tracker.
	 * @param store marks acknowledged messages delivered, or {@code null} without a store
	 * @param router sends redeliveries, looked up on first use
	 * @param ackTimeout how long to wait for an ACK
	 * @param maxAttempts how many times a message is sent again at most
	 * @param maxPending the most messages tracked on this node; beyond it new ones are
	 * left for replay
	 * @param metrics records acknowledgements and redeliveries
	 * @param storeWriter records ACKs and carries out redeliveries, off the thread of the
	 * client's frame
	 */
	public Redelivery(NotifyStore store, Supplier<MessageRouter> router, Duration ackTimeout, int maxAttempts,
			int maxPending, NotifyMetrics metrics, Executor storeWriter) {
		this.store = store;
		this.storeWriter = storeWriter;
		this.router = router;
		this.ackTimeout = ackTimeout;
		this.maxAttempts = maxAttempts;
		this.maxPending = maxPending;
		this.metrics = metrics;
		this.drops = new DroppedMessages(metrics);
	}

	/**
	 * Start waiting for the ACK of a message just sent to an acknowledging subscription.
	 * @param notification the stored user message
	 */
	public void track(Notification notification) {
		Key key = new Key(notification.userId(), notification.id());
		if (this.pending.size() >= this.maxPending && !this.pending.containsKey(key)) {
			return;
		}
		Instant deadline = Instant.now().plus(this.ackTimeout);
		this.pending.merge(key, new Pending(notification, deadline),
				(previous, next) -> (previous.notification.attempt() > next.notification.attempt()) ? previous : next);
	}

	/**
	 * Record an ACK: the message is delivered to its user.
	 * @param notification the acknowledged message
	 */
	public void acknowledged(Notification notification) {
		Key key = new Key(notification.userId(), notification.id());
		this.pending.remove(key);
		this.metrics.messageAcknowledged();
		if (this.store == null) {
			return;
		}
		// beyond the bound the mark is lost, and the message may come again with a replay
		if (this.unmarked.size() < this.maxPending) {
			this.unmarked.add(key);
			startWork();
		}
	}

	/**
	 * Record a NACK: send the message again soon, off the caller's thread.
	 * @param notification the rejected message
	 */
	public void rejected(Notification notification) {
		Pending entry = this.pending.remove(new Key(notification.userId(), notification.id()));
		queueRedelivery((entry != null) ? entry.notification : notification);
		startWork();
	}

	private void queueRedelivery(Notification notification) {
		if (this.toRedeliverCount.incrementAndGet() > this.maxPending) {
			this.toRedeliverCount.decrementAndGet();
			this.drops.dropped("redelivery-queue-full", () -> "message " + notification.id() + " for user "
					+ notification.userId() + ": too many redeliveries queued; left for replay");
			return;
		}
		this.toRedeliver.add(notification);
	}

	// start the store worker unless it runs; it takes every ACK and redelivery
	// queued so far
	private void startWork() {
		if (!this.working.compareAndSet(false, true)) {
			return;
		}
		Thread caller = Thread.currentThread();
		try {
			this.storeWriter.execute(() -> {
				boolean done = false;
				try {
					// a full pool runs a task on the caller's thread: leave the work
					// for the next check instead of holding that thread on the store
					done = Thread.currentThread() != caller && markAcknowledged() && redeliverQueued();
				}
				finally {
					this.working.set(false);
				}
				// work that came while it ran; a failing store waits for the next check
				if (done && hasWork()) {
					startWork();
				}
			});
		}
		catch (RuntimeException ex) {
			// no worker now: the redelivery checks start one
			this.working.set(false);
		}
	}

	private boolean hasWork() {
		return (this.store != null && !this.unmarked.isEmpty()) || !this.toRedeliver.isEmpty();
	}

	/**
	 * Return the number of messages waiting for an ACK on this node.
	 * @return the count
	 */
	public int pendingCount() {
		return this.pending.size();
	}

	/**
	 * Send again every message whose ACK timed out. Called periodically.
	 */
	public void redeliverOverdue() {
		Instant now = Instant.now();
		this.pending.forEach((key, entry) -> {
			if (entry.deadline.isBefore(now) && this.pending.remove(key, entry)) {
				queueRedelivery(entry.notification);
			}
		});
		if (hasWork()) {
			startWork();
		}
	}

	/**
	 * Send again the queued messages, in order.
	 * @return {@code false} if the store failed; the rest waits for the next try
	 */
	private boolean redeliverQueued() {
		// the only consumer: look, then take once done
		for (Notification next = this.toRedeliver.peek(); next != null; next = this.toRedeliver.peek()) {
			if (!redeliver(next)) {
				return false;
			}
			this.toRedeliver.poll();
			this.toRedeliverCount.decrementAndGet();
		}
		return true;
	}

	/**
	 * Record the queued ACKs in the store.
	 * @return {@code false} if the store failed; the rest waits for the next try
	 */
	private boolean markAcknowledged() {
		for (Key key : this.unmarked) {
			try {
				this.store.markDelivered(key.userId(), key.id());
				this.unmarked.remove(key);
			}
			catch (RuntimeException ex) {
				// the client has its messages: only their delivered marks are missing
				logger.warn("Could not mark " + this.unmarked.size()
						+ " acknowledged message(s) delivered, will try again: " + ex);
				return false;
			}
		}
		return true;
	}

	// false if the store could not answer: try again on the next check
	private boolean redeliver(Notification notification) {
		if (notification.attempt() >= this.maxAttempts) {
			this.drops.dropped("attempts-exhausted", () -> "message " + notification.id() + " for user "
					+ notification.userId() + " reached the attempt limit; left for replay");
			return true;
		}
		if (this.store != null) {
			try {
				StoredMessage stored = this.store.find(notification.userId(), notification.id());
				if (stored == null || stored.isDelivered()) {
					return true;
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not look up " + this.toRedeliver.size()
						+ " message(s) to redeliver in the store, will try again: " + ex);
				return false;
			}
		}
		try {
			this.metrics.messageRedelivered();
			this.router.get().toUser(notification.nextAttempt());
		}
		catch (RuntimeException ex) {
			logger.warn("Redelivery of message " + notification.id() + " failed, left for replay: " + ex);
		}
		return true;
	}

	private record Key(String userId, String id) {

	}

	private record Pending(Notification notification, Instant deadline) {

	}

}
