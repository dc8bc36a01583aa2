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

package io.github.notifystomp.presence;

import java.util.Map;

/**
 * Which users are connected, with how many sessions, on which node. The single-node
 * registry counts this node's sessions; the Redis one counts the whole cluster, so that
 * the session limit and the online checks hold cluster-wide.
 */
public interface PresenceRegistry {

	/**
	 * Record a new session, unless the user already has the maximum number of sessions.
	 * @param userId the user
	 * @param sessionId the new session
	 * @param maxSessionsPerUser the limit
	 * @return {@code true} if recorded, {@code false} if the limit was reached
	 */
	boolean add(String userId, String sessionId, int maxSessionsPerUser);

	/**
	 * Record a new session of a user who already has the maximum number of sessions, by
	 * removing the user's longest-connected session wherever it is. The caller closes the
	 * session removed. A registry that sees only this node's sessions returns
	 * {@code null}, and the caller replaces one of this node's sessions instead.
	 * @param userId the user
	 * @param sessionId the new session
	 * @param maxSessionsPerUser the limit
	 * @return the session removed to make room, or {@code null} if none was (there was
	 * room after all, or this registry cannot replace across nodes)
	 */
	default Replaced replaceOldest(String userId, String sessionId, int maxSessionsPerUser) {
		return null;
	}

	/**
	 * Forget a session that ended. Does nothing if it is not recorded.
	 * @param userId the user
	 * @param sessionId the session
	 */
	void remove(String userId, String sessionId);

	/**
	 * Whether the user has at least one session.
	 * @param userId the user
	 * @return {@code true} if online
	 */
	boolean isOnline(String userId);

	/**
	 * Return the number of distinct connected users; a user on several nodes counts once.
	 * @return the user count
	 */
	long onlineUserCount();

	/**
	 * Return the number of sessions on each live node.
	 * @return node id to session count
	 */
	Map<String, Integer> sessionsPerNode();

	/**
	 * Return the sessions of a user on each node.
	 * @param userId the user
	 * @return node id to session count, empty if offline
	 */
	Map<String, Integer> sessionsOf(String userId);

	/**
	 * A session removed from the registry to make room for a newer one of its user.
	 *
	 * @param nodeId the node that holds the session
	 * @param sessionId the session
	 * @param onThisNode whether that node is this one
	 */
	record Replaced(String nodeId, String sessionId, boolean onThisNode) {

	}

}
