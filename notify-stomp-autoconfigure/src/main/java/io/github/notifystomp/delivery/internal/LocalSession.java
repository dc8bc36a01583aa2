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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

import io.github.notifystomp.NotifyUser;

/**
 * A STOMP session connected to this node: its user, its subscriptions to the user
 * destination and the broadcast topic, and the bounded outbox that keeps its messages in
 * order.
 */
public final class LocalSession {

	private final String id;

	private final NotifyUser user;

	private final Instant connectedAt;

	private final SessionOutbox outbox;

	// both immutable, replaced under this session's lock on each change: a session has a
	// subscription or two, read on every message (see SmallSets)
	private volatile List<UserSubscription> subscriptions = List.of();

	private volatile Set<String> broadcastSubscriptions = Set.of();

	private final ReplayLane replays = new ReplayLane();

	private volatile ScheduledFuture<?> expiry;

	private volatile boolean closing;

	LocalSession(String id, NotifyUser user, Instant connectedAt, SessionOutbox outbox) {
		this.id = id;
		this.user = user;
		this.connectedAt = connectedAt;
		this.outbox = outbox;
	}

	/**
	 * Return the session id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the user of the session.
	 * @return the user
	 */
	public NotifyUser user() {
		return this.user;
	}

	/**
	 * Return when the session connected.
	 * @return the time of the CONNECT
	 */
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/**
	 * Return the number of subscriptions to the user destination.
	 * @return the count
	 */
	public int userSubscriptionCount() {
		return this.subscriptions.size();
	}

	/**
	 * Return the number of messages waiting to be written to the session, the one being
	 * written included.
	 * @return the count
	 */
	public int pendingMessages() {
		return this.outbox.size();
	}

	SessionOutbox outbox() {
		return this.outbox;
	}

	ReplayLane replays() {
		return this.replays;
	}

	Set<String> broadcastSubscriptions() {
		return this.broadcastSubscriptions;
	}

	void addBroadcastSubscription(String id) {
		synchronized (this) {
			this.broadcastSubscriptions = SmallSets.with(this.broadcastSubscriptions, id);
		}
	}

	Collection<UserSubscription> subscriptions() {
		return this.subscriptions;
	}

	UserSubscription subscription(String id) {
		for (UserSubscription subscription : this.subscriptions) {
			if (subscription.id().equals(id)) {
				return subscription;
			}
		}
		return null;
	}

	void addSubscription(UserSubscription subscription) {
		synchronized (this) {
			List<UserSubscription> replaced = new ArrayList<>(this.subscriptions.size() + 1);
			for (UserSubscription other : this.subscriptions) {
				if (!other.id().equals(subscription.id())) {
					replaced.add(other);
				}
			}
			replaced.add(subscription);
			this.subscriptions = List.copyOf(replaced);
		}
	}

	UserSubscription removeSubscription(String id) {
		synchronized (this) {
			Set<String> broadcasts = SmallSets.without(this.broadcastSubscriptions, id);
			this.broadcastSubscriptions = (broadcasts != null) ? broadcasts : Set.of();
			UserSubscription removed = subscription(id);
			if (removed != null) {
				List<UserSubscription> left = new ArrayList<>(this.subscriptions);
				left.remove(removed);
				this.subscriptions = List.copyOf(left);
			}
			return removed;
		}
	}

	/**
	 * Arm the token-expiry timer, unless it is armed or the session is closing.
	 * @param timer schedules the timer
	 */
	synchronized void armExpiry(Supplier<ScheduledFuture<?>> timer) {
		if (this.expiry == null && !this.closing) {
			this.expiry = timer.get();
		}
	}

	boolean isClosing() {
		return this.closing;
	}

	/**
	 * Mark the session as closing and stop its timers.
	 * @return {@code true} if it was not closing before
	 */
	synchronized boolean markClosing() {
		ScheduledFuture<?> expiry = this.expiry;
		if (expiry != null) {
			expiry.cancel(false);
		}
		boolean first = !this.closing;
		this.closing = true;
		return first;
	}

	boolean isExpiredAt(Instant now) {
		return this.user.isExpiredAt(now);
	}

}
