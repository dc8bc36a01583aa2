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
 * A {@link PresenceRegistry} for a single node.
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
			Set<String> result = (sessions != null) ? sessions : ConcurrentHashMap.newKeySet();
			if (result.contains(sessionId) || result.size() < maxSessionsPerUser) {
				added.set(result.add(sessionId) || result.contains(sessionId));
			}
			return result.isEmpty() ? null : result;
		});
		return added.get();
	}

	@Override
	public void remove(String userId, String sessionId) {
		this.sessionsByUser.computeIfPresent(userId, (key, sessions) -> {
			sessions.remove(sessionId);
			return sessions.isEmpty() ? null : sessions;
		});
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

}
