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

import java.time.Instant;

import io.github.notifystomp.store.StoredMessage;

/**
 * A notification on its way to sessions: what the template prepared, what a relay carries
 * between nodes, and what a replay reads back from the store.
 *
 * @param id the notification id ({@code notify-id})
 * @param type the type name ({@code notify-type})
 * @param payload the payload as JSON text, or {@code null} for none
 * @param createdAt the creation time
 * @param seq the recipient's sequence number, or {@code null} when not stored
 * @param userId the recipient, or {@code null} for a broadcast
 * @param attempt {@code 0} for the first delivery, then the redelivery count
 * @param sentAt when the application sent it, or {@code null} for a replay
 */
public record Notification(String id, String type, String payload, Instant createdAt, Long seq, String userId,
		int attempt, Instant sentAt) {

	/**
	 * Create a notification from a stored message.
	 * @param message the stored message
	 * @return the notification, first attempt
	 */
	public static Notification of(StoredMessage message) {
		return new Notification(message.id(), message.type(), message.payload(), message.createdAt(), message.seq(),
				message.userId(), 0, null);
	}

	/**
	 * Whether this is a stored user message, which clients can acknowledge and replay.
	 * @return {@code true} if stored
	 */
	public boolean isStored() {
		return this.seq != null;
	}

	/**
	 * Whether this is a broadcast rather than a user message.
	 * @return {@code true} for a broadcast
	 */
	public boolean isBroadcast() {
		return this.userId == null;
	}

	/**
	 * Return the same notification addressed to one user.
	 * @param userId the recipient
	 * @param seq the recipient's sequence number, or {@code null}
	 * @return the addressed notification
	 */
	public Notification toUser(String userId, Long seq) {
		return new Notification(this.id, this.type, this.payload, this.createdAt, seq, userId, this.attempt,
				this.sentAt);
	}

	/**
	 * Return the same notification as the next redelivery attempt.
	 * @return the redelivery
	 */
	public Notification nextAttempt() {
		return new Notification(this.id, this.type, this.payload, this.createdAt, this.seq, this.userId,
				this.attempt + 1, this.sentAt);
	}

}
