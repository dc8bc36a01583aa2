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

package io.github.notifystomp;

import java.util.Collection;

/**
 * A user's stored notifications as the application sees them: history, unread count, read
 * state and deletion. Available as a bean when a message store is configured
 * ({@code notify.stomp.store.type} other than {@code none}).
 * <p>
 * Marking messages read tells the user's connected sessions, on every node, with a
 * transient message of type {@value #READ_TYPE} whose payload is {@code {"ids":[...]}},
 * so that a notification read on one device is shown as read on the others.
 */
public interface NotifyInbox {

	/**
	 * The type of the transient message that tells a user's sessions which of the user's
	 * messages were marked read. Reserved: applications must not send messages of this
	 * type.
	 */
	String READ_TYPE = "notify.read";

	/**
	 * The largest page {@link #history(String, Long, int)} returns.
	 */
	int MAX_PAGE_SIZE = 1000;

	/**
	 * Return a page of the user's stored messages, newest first.
	 * @param userId the user
	 * @param beforeSeq return messages with a smaller sequence number (the
	 * {@link InboxPage#nextBeforeSeq()} of the previous page), or {@code null} to start
	 * with the newest
	 * @param limit the page size, 1 to {@value #MAX_PAGE_SIZE}
	 * @return the page, empty if the user has no (more) messages
	 * @throws IllegalArgumentException if the user id or the limit is not valid
	 */
	InboxPage history(String userId, Long beforeSeq, int limit);

	/**
	 * Return one of the user's stored messages.
	 * @param userId the user
	 * @param id the notification id
	 * @return the message, or {@code null} if the user has no message with that id
	 */
	InboxMessage find(String userId, String id);

	/**
	 * Return the number of the user's stored messages that are not marked read.
	 * @param userId the user
	 * @return the unread count
	 */
	long unreadCount(String userId);

	/**
	 * Mark messages of the user read and, if any changed, tell the user's connected
	 * sessions with a {@value #READ_TYPE} message. Inside a transaction the change and
	 * the notice follow the transaction: the notice is sent only after commit.
	 * @param userId the user
	 * @param ids the notification ids; ids of other users' messages are ignored
	 * @return the number of messages that changed from unread to read
	 */
	int markRead(String userId, Collection<String> ids);

	/**
	 * Delete one of the user's stored messages. It is no longer replayed or listed.
	 * @param userId the user
	 * @param id the notification id
	 * @return {@code true} if it existed
	 */
	boolean delete(String userId, String id);

}
