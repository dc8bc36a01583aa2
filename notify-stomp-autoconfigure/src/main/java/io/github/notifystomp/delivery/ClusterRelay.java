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

/**
 * What a node tells the other nodes of its cluster, after it delivered to its own
 * sessions. The cluster support implements it over Redis; a single node uses
 * {@link #NONE}. A relay never throws at the sender: what it cannot relay it counts, and
 * stored messages reach the other nodes' clients by replay or catch-up.
 */
public interface ClusterRelay {

	/**
	 * The relay of a single node: there is nobody to tell.
	 */
	ClusterRelay NONE = new NoClusterRelay();

	/**
	 * Relay a user message to the nodes that may hold sessions of its user.
	 * @param notification the message, with its user id
	 * @param reachedHere how many sessions of this node it reached
	 */
	void toUser(Notification notification, int reachedHere);

	/**
	 * Relay a broadcast to every other node.
	 * @param notification the broadcast
	 */
	void broadcast(Notification notification);

	/**
	 * Tell every other node to close a user's sessions and refuse the user's CONNECTs
	 * until a time.
	 * @param userId the user
	 * @param refuseReconnectsUntil the end of the block, or {@code null} for none
	 * @return whether every node was told; when not, the relay tells them as soon as it
	 * can
	 */
	boolean disconnectUser(String userId, Instant refuseReconnectsUntil);

	/**
	 * Tell another node to close a session that a newer session of its user replaced at
	 * the session limit; the node tells the client why.
	 * @param nodeId the node that holds the session
	 * @param userId the session's user
	 * @param sessionId the session
	 * @return whether the node was told; a relay that reaches no other node returns
	 * {@code false}
	 */
	default boolean closeReplacedSession(String nodeId, String userId, String sessionId) {
		return false;
	}

	/**
	 * Tell every other node to accept a user's CONNECTs again.
	 * @param userId the user
	 */
	void allowReconnects(String userId);

}
