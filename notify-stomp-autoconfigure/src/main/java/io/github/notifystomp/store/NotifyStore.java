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

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Keeps user messages so that nobody misses one while offline: assigns each a per-user
 * sequence number, and answers replay and history queries.
 * <p>
 * Implementations must assign sequence numbers that are strictly increasing per user,
 * without duplicates, even when several nodes save messages for the same user at once,
 * and must make a saved message visible to readers only in sequence order.
 */
public interface NotifyStore {

	/**
	 * Save a message for one user and assign its sequence number.
	 * @param userId the recipient
	 * @param id the notification id, unique per user
	 * @param type the type name
	 * @param payload the payload as JSON text, or {@code null}
	 * @param createdAt the creation time
	 * @return the stored message with its sequence number
	 */
	StoredMessage save(String userId, String id, String type, String payload, Instant createdAt);

	/**
	 * Return the user's messages with a sequence number greater than the given one, in
	 * sequence order.
	 * @param userId the user
	 * @param afterSeq the last sequence number the client has ({@code 0} for all)
	 * @param limit the maximum number of messages to return
	 * @return the messages, oldest first
	 */
	List<StoredMessage> findAfter(String userId, long afterSeq, int limit);

	/**
	 * Return a page of the user's history, newest first.
	 * @param userId the user
	 * @param beforeSeq return messages with a smaller sequence number, or {@code null} to
	 * start with the newest
	 * @param limit the page size
	 * @return the messages, newest first
	 */
	List<StoredMessage> findBefore(String userId, Long beforeSeq, int limit);

	/**
	 * Return one message.
	 * @param userId the user
	 * @param id the notification id
	 * @return the message, or {@code null} if there is none
	 */
	StoredMessage find(String userId, String id);

	/**
	 * Mark a message delivered (acknowledged by one of the user's sessions).
	 * @param userId the user
	 * @param id the notification id
	 * @return {@code true} if the message exists and was not yet delivered
	 */
	boolean markDelivered(String userId, String id);

	/**
	 * Mark messages read.
	 * @param userId the user
	 * @param ids the notification ids
	 * @return the number of messages that changed from unread to read
	 */
	int markRead(String userId, Collection<String> ids);

	/**
	 * Return the number of the user's messages that are not read.
	 * @param userId the user
	 * @return the unread count
	 */
	long countUnread(String userId);

	/**
	 * Delete one message.
	 * @param userId the user
	 * @param id the notification id
	 * @return {@code true} if it existed
	 */
	boolean delete(String userId, String id);

	/**
	 * Delete every message created before the given time. Safe to run on several nodes at
	 * once.
	 * @param cutoff the oldest creation time to keep
	 * @return the number of messages deleted
	 */
	int deleteCreatedBefore(Instant cutoff);

	/**
	 * Return the store's epoch: an id of the generation of its sequence numbers, which
	 * changes whenever they may start again (a new in-memory store, a recreated or
	 * restored table). Clients keep it with their position, so that a position of another
	 * generation is recognised instead of muting the messages below it.
	 * @return the epoch, up to 64 letters, digits, {@code .}, {@code _} or {@code -}; or
	 * {@code null} if this store has none (then only a position beyond the last sequence
	 * number is recognised)
	 */
	default String epoch() {
		return null;
	}

	/**
	 * Return the last sequence number handed out to the user, also when that message is
	 * deleted since.
	 * @param userId the user
	 * @return the last sequence number, {@code 0} if the user has none
	 */
	default long lastSeq(String userId) {
		List<StoredMessage> newest = findBefore(userId, null, 1);
		return newest.isEmpty() ? 0 : newest.get(0).seq();
	}

	/**
	 * Whether {@link #save} joins the caller's transaction. When it does not, a message
	 * sent inside a transaction is saved only after that transaction commits.
	 * @return {@code true} if saves take part in the caller's transaction
	 */
	default boolean joinsTransactions() {
		return false;
	}

}
