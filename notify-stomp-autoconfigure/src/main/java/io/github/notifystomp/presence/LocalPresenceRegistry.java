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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link PresenceRegistry} for a single node. A user's sessions are an immutable set,
 * replaced on every change: most users have one session, and a set of one costs a few
 * bytes where a concurrent set costs some two hundred on each idle connection.
 */
public class LocalPresenceRegistry implements PresenceRegistry {

	private final Map<String, Set<String>> sessionsByUser = new ConcurrentHashMap<>();

	private final String nodeId;

	/**
	 * Create a registry.
	 * @param nodeId the id this node reports its sessions under
	 */
	public LocalPresenceRegistry(String nodeId) {
		this.nodeId = nodeId;
	}

	@Override
	public boolean add(String userId, String sessionId, int maxSessionsPerUser) {
		AtomicBoolean added = new AtomicBoolean();
		this.sessionsByUser.compute(userId, (key, sessions) -> {
			if (sessions == null) {
				added.set(maxSessionsPerUser > 0);
				return added.get() ? Set.of(sessionId) : null;
			}
			if (sessions.contains(sessionId)) {
				added.set(true);
				return sessions;
			}
			added.set(sessions.size() < maxSessionsPerUser);
			return added.get() ? with(sessions, sessionId) : sessions;
		});
		return added.get();
	}

	@Override
	public void remove(String userId, String sessionId) {
		this.sessionsByUser.computeIfPresent(userId, (key, sessions) -> without(sessions, sessionId));
	}

	@Override
	public boolean isOnline(String userId) {
		return this.sessionsByUser.containsKey(userId);
	}

	@Override
	public long onlineUserCount() {
		return this.sessionsByUser.size();
	}

	@Override
	public Map<String, Integer> sessionsPerNode() {
		int count = this.sessionsByUser.values().stream().mapToInt(Set::size).sum();
		return Map.of(this.nodeId, count);
	}

	@Override
	public Map<String, Integer> sessionsOf(String userId) {
		Set<String> sessions = this.sessionsByUser.get(userId);
		return (sessions != null) ? Map.of(this.nodeId, sessions.size()) : Map.of();
	}

	private static Set<String> with(Set<String> sessions, String sessionId) {
		String[] more = sessions.toArray(new String[sessions.size() + 1]);
		more[sessions.size()] = sessionId;
		return Set.of(more);
	}

	// null when none is left, which removes the user
	private static Set<String> without(Set<String> sessions, String sessionId) {
		if (!sessions.contains(sessionId)) {
			return sessions;
		}
		return (sessions.size() == 1) ? null
				: Set.of(sessions.stream().filter((id) -> !id.equals(sessionId)).toArray(String[]::new));
	}

}
