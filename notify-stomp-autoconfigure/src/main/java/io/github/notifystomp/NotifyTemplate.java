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

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Sends notifications to connected STOMP clients: to every session of one user (on
 * {@code /user/queue/notify}) or to everyone (on {@code /topic/notify}), on this node
 * and, in cluster mode, on every other node.
 * <p>
 * User messages are stored before they are routed (unless transient). Inside a
 * transaction the message is stored in that transaction and routed only after it commits;
 * a rollback delivers nothing.
 */
public interface NotifyTemplate {

	/**
	 * Send a message to every session of one user.
	 * @param userId the user id, must not be {@code null} or blank
	 * @param message the message, must not be {@code null}
	 * @return the id and, when stored, the user's sequence number
	 * @throws IllegalArgumentException if the user id, the type or the payload is not
	 * valid; nothing is sent then
	 * @throws NotifySendException if the message could not be stored; it is sent to none
	 * of the users it was not stored for
	 */
	SendResult sendToUser(String userId, NotifyMessage message);

	/**
	 * Send the same message to several users; each gets its own sequence number. A user
	 * named more than once gets the message once.
	 * @param userIds the user ids, none {@code null} or blank
	 * @param message the message, must not be {@code null}
	 * @return one result per user id, in the order given (equal results for a user named
	 * twice)
	 * @throws IllegalArgumentException if a user id, the type or the payload is not
	 * valid; nothing is sent then
	 * @throws NotifySendException if the message could not be stored; it is sent to none
	 * of the users it was not stored for
	 */
	List<SendResult> sendToUsers(Collection<String> userIds, NotifyMessage message);

	/**
	 * Send a message to every subscriber of the broadcast topic. Broadcasts are not
	 * stored: users who are offline do not get them.
	 * @param message the message, must not be {@code null}
	 * @return the id of the broadcast
	 * @throws IllegalArgumentException if the type or the payload is not valid
	 */
	SendResult broadcast(NotifyMessage message);

	/**
	 * Whether the user has at least one connected session (cluster-wide in cluster mode).
	 * @param userId the user id
	 * @return {@code true} if online
	 */
	boolean isOnline(String userId);

	/**
	 * Return the number of distinct users connected to this node.
	 * @return the local online user count
	 */
	int localOnlineUserCount();

	/**
	 * Return the number of distinct users connected to any node (equal to
	 * {@link #localOnlineUserCount()} when not clustered). A user connected to several
	 * nodes counts once.
	 * @return the online user count
	 */
	long onlineUserCount();

	/**
	 * Close every session of the user, on every node. The client gets an ERROR frame and
	 * may reconnect at once with a token that is still valid: to revoke a user (after a
	 * password change, say), invalidate their tokens too, or refuse their reconnects for
	 * a while with {@link #disconnectUser(String, Duration)}. Stored messages stay for
	 * replay.
	 * @param userId the user id
	 * @return whether every node was told
	 */
	default DisconnectResult disconnectUser(String userId) {
		return disconnectUser(userId, Duration.ZERO);
	}

	/**
	 * Close every session of the user, on every node, and refuse the user's CONNECTs for
	 * a time (their clients get the ERROR {@code Access revoked}), on every node, also on
	 * a node that was away from Redis when this was called, once it is back.
	 * @param userId the user id
	 * @param refuseReconnectsFor how long to refuse the user's CONNECTs;
	 * {@link Duration#ZERO} for not at all
	 * @return whether every node was told, and until when reconnects are refused
	 */
	DisconnectResult disconnectUser(String userId, Duration refuseReconnectsFor);

	/**
	 * Accept a user's CONNECTs again before the time given to
	 * {@link #disconnectUser(String, Duration)} has passed, on every node.
	 * @param userId the user id
	 */
	void allowReconnects(String userId);

}
