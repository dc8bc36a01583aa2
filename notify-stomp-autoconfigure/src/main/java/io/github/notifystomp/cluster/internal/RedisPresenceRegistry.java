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

package io.github.notifystomp.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;

import io.github.notifystomp.presence.PresenceRegistry;

/**
 * A {@link PresenceRegistry} for the whole cluster, kept in Redis. Each user has a sorted
 * set of sessions ({@code <nodeId>|<sessionId>}) scored with a lease deadline taken from
 * Redis' clock; adding a session is one script that drops expired entries, counts and
 * adds under the limit, so the session limit holds cluster-wide. Each node renews its own
 * entries, re-adding them all, so entries of a node that died stop counting when their
 * lease runs out, and a node registers everything again by itself after Redis comes back.
 * <p>
 * While Redis is unreachable (or before the node has joined) the registry counts this
 * node's sessions only, as the single-node registry does.
 */
public class RedisPresenceRegistry implements PresenceRegistry {

	private static final Log logger = LogFactory.getLog(RedisPresenceRegistry.class);

	private static final int CHUNK = 256;

	private final Map<String, Set<String>> localSessions = new ConcurrentHashMap<>();

	private final RedisScripts scripts;

	private final RedisKeys keys;

	private final String nodeId;

	private final long leaseMillis;

	private final Duration timeout;

	// a CONNECT falls back to counting locally (registered in Redis at the next renewal):
	// half the timeout keeps the whole CONNECT, frame handling included, within it
	private final Duration connectTimeout;

	// sessions accepted without Redis: the renewal registers them, and the node catches
	// up, since a relay sent before they were registered did not reach them
	private final AtomicLong localOnlyAdds = new AtomicLong();

	private final ClusterStatus status;

	private final AtomicBoolean active = new AtomicBoolean();

	/**
	 * Create a registry.
	 * @param redisson the Redis client
	 * @param keyPrefix the prefix of every key
	 * @param nodeId this node's id
	 * @param lease how long entries count after their last renewal
	 * @param timeout the longest time a caller waits for Redis
	 * @param status the state of the link to Redis, shared with the router
	 */
	public RedisPresenceRegistry(RedissonClient redisson, String keyPrefix, String nodeId, Duration lease,
			Duration timeout, ClusterStatus status) {
		this.scripts = new RedisScripts(redisson);
		this.keys = new RedisKeys(keyPrefix);
		this.nodeId = nodeId;
		this.leaseMillis = lease.toMillis();
		this.timeout = timeout;
		this.connectTimeout = timeout.dividedBy(2);
		this.status = status;
	}

	@Override
	public boolean add(String userId, String sessionId, int maxSessionsPerUser) {
		if (!useRedis()) {
			return addLocal(userId, sessionId, maxSessionsPerUser);
		}
		Deadline deadline = Deadline.in(this.connectTimeout);
		try {
			Long added = deadline.await(
					this.scripts.run(RedisScripts.ADD, ReturnType.LONG, presenceKeys(userId),
							RedisKeys.member(this.nodeId, sessionId), this.leaseMillis, maxSessionsPerUser),
					"presence add");
			if (added == null || added == 0) {
				return false;
			}
			record(userId, sessionId);
			deadline.await(touchUsers(List.of(userId)), "presence add");
			return true;
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
			// renewal registers the session once Redis answers again
			return addLocal(userId, sessionId, maxSessionsPerUser);
		}
	}

	@Override
	public Replaced replaceOldest(String userId, String sessionId, int maxSessionsPerUser) {
		if (!useRedis()) {
			return null;
		}
		Deadline deadline = Deadline.in(this.connectTimeout);
		try {
			String replaced = deadline.await(
					this.scripts.run(RedisScripts.ADD_REPLACING_OLDEST, ReturnType.VALUE, presenceKeys(userId),
							RedisKeys.member(this.nodeId, sessionId), this.leaseMillis, maxSessionsPerUser),
					"presence replace");
			record(userId, sessionId);
			deadline.await(touchUsers(List.of(userId)), "presence replace");
			if (replaced == null || replaced.isEmpty()) {
				return null;
			}
			String node = RedisKeys.nodeOf(replaced);
			String replacedSession = replaced.substring(node.length() + 1);
			return new Replaced(node, replacedSession, node.equals(this.nodeId));
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
			return null;
		}
	}

	@Override
	public void remove(String userId, String sessionId) {
		boolean known = forget(userId, sessionId);
		if (known && useRedis()) {
			removeInRedis(userId, List.of(RedisKeys.member(this.nodeId, sessionId))).whenComplete((left, ex) -> {
				if (ex != null) {
					this.status.failed("presence remove", ex);
				}
			});
		}
	}

	@Override
	public boolean isOnline(String userId) {
		if (this.localSessions.containsKey(userId)) {
			return true;
		}
		return !sessionsOf(userId).isEmpty();
	}

	@Override
	public long onlineUserCount() {
		long local = this.localSessions.size();
		if (!useRedis()) {
			return local;
		}
		try {
			Long count = Deadline.in(this.timeout)
				.await(this.scripts.run(RedisScripts.COUNT_USERS, ReturnType.LONG, List.of(this.keys.users())),
						"online count");
			// sessions accepted while Redis was away are registered at the next renewal
			return Math.max((count != null) ? count : 0, local);
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
			return local;
		}
	}

	@Override
	public Map<String, Integer> sessionsPerNode() {
		Map<String, Integer> result = new LinkedHashMap<>();
		if (useRedis()) {
			try {
				List<Object> flat = Deadline.in(this.timeout)
					.await(this.scripts.run(RedisScripts.NODES, ReturnType.LIST,
							List.of(this.keys.nodes(), this.keys.nodeSessions())), "node list");
				for (int i = 0; i + 1 < flat.size(); i += 2) {
					result.put(String.valueOf(flat.get(i)), parseCount(flat.get(i + 1)));
				}
			}
			catch (Deadline.RedisCallException ex) {
				this.status.failed(ex.operation(), ex.getCause());
			}
		}
		result.put(this.nodeId, localSessionCount());
		return result;
	}

	@Override
	public Map<String, Integer> sessionsOf(String userId) {
		if (!useRedis()) {
			return localSessionsOf(userId);
		}
		try {
			return Deadline.in(this.timeout).await(sessionsOfAsync(userId), "presence lookup");
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
			return localSessionsOf(userId);
		}
	}

	/**
	 * Look up the nodes that hold sessions of a user, this node counted from its own
	 * sessions; for the router, which waits within its own deadline.
	 * @param userId the user
	 * @return the future node id to session count map
	 */
	CompletableFuture<Map<String, Integer>> sessionsOfAsync(String userId) {
		CompletableFuture<List<Object>> members = this.scripts.run(RedisScripts.LIVE, ReturnType.LIST,
				List.of(this.keys.presence(userId)));
		return members.thenApply((list) -> {
			Map<String, Integer> result = new LinkedHashMap<>();
			for (Object member : list) {
				String node = RedisKeys.nodeOf(String.valueOf(member));
				if (node != null && !node.equals(this.nodeId)) {
					result.merge(node, 1, Integer::sum);
				}
			}
			result.putAll(localSessionsOf(userId));
			return result;
		});
	}

	/**
	 * Whether the registry uses Redis now: joined, and Redis answered last time.
	 */
	boolean useRedis() {
		return this.active.get() && this.status.isRedisReachable();
	}

	void activate() {
		this.active.set(true);
	}

	/**
	 * How many sessions this node has accepted without registering them in Redis (Redis
	 * was unreachable, or the node had not joined yet), ever; a renewal that starts later
	 * registers them all.
	 * @return the count so far
	 */
	long localOnlyAdds() {
		return this.localOnlyAdds.get();
	}

	/**
	 * Re-add every local session with a fresh lease and mark their users online, then
	 * remove again what ended while the renewal ran. Runs on the cluster thread.
	 * @param deadline when to give up
	 * @return the number of sessions renewed
	 */
	int renew(Deadline deadline) {
		Map<String, Set<String>> snapshot = snapshot();
		List<CompletableFuture<?>> futures = new ArrayList<>();
		List<String> users = new ArrayList<>(snapshot.keySet());
		int sessions = 0;
		for (int start = 0; start < users.size(); start += CHUNK) {
			List<String> chunk = users.subList(start, Math.min(users.size(), start + CHUNK));
			futures.clear();
			for (String userId : chunk) {
				Set<String> userSessions = snapshot.get(userId);
				List<Object> args = new ArrayList<>(userSessions.size() + 1);
				args.add(this.leaseMillis);
				userSessions.forEach((sessionId) -> args.add(RedisKeys.member(this.nodeId, sessionId)));
				sessions += userSessions.size();
				futures
					.add(this.scripts.run(RedisScripts.RENEW, ReturnType.LONG, presenceKeys(userId), args.toArray()));
			}
			futures.add(touchUsers(chunk));
			deadline.await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), "presence renewal");
		}
		// a session that ended during the renewal may have been re-added: remove it again
		snapshot.forEach((userId, userSessions) -> {
			Set<String> current = this.localSessions.getOrDefault(userId, Set.of());
			List<String> ended = userSessions.stream()
				.filter((sessionId) -> !current.contains(sessionId))
				.map((sessionId) -> RedisKeys.member(this.nodeId, sessionId))
				.toList();
			if (!ended.isEmpty()) {
				removeInRedis(userId, ended);
			}
		});
		return sessions;
	}

	/**
	 * Remove every entry of this node from Redis at once, on a clean shutdown, and count
	 * only locally from then on. Without Redis this only stops using it.
	 * @param deadline when to give up
	 */
	void leave(Deadline deadline) {
		if (this.active.getAndSet(false) && this.status.isRedisReachable()) {
			removeAll(deadline);
		}
	}

	/**
	 * Remove every entry of this node from Redis, whether or not the registry is active.
	 * @param deadline when to give up
	 */
	void removeAll(Deadline deadline) {
		List<CompletableFuture<?>> futures = new ArrayList<>();
		snapshot().forEach((userId, userSessions) -> futures.add(removeInRedis(userId,
				userSessions.stream().map((sessionId) -> RedisKeys.member(this.nodeId, sessionId)).toList())));
		deadline.await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), "presence cleanup");
	}

	int localSessionCount() {
		return this.localSessions.values().stream().mapToInt(Set::size).sum();
	}

	private List<Object> presenceKeys(String userId) {
		return List.of(this.keys.presence(userId), this.keys.presenceOrder(userId));
	}

	private CompletableFuture<Long> touchUsers(List<String> userIds) {
		List<Object> args = new ArrayList<>(userIds.size() + 1);
		args.add(this.leaseMillis);
		args.addAll(userIds);
		return this.scripts.run(RedisScripts.TOUCH_USERS, ReturnType.LONG, List.of(this.keys.users()), args.toArray());
	}

	// removes sessions; when the user has none left anywhere,
	// drops the user from the online users, then checks again,
	// since another node may have added a session in between
	private CompletableFuture<Void> removeInRedis(String userId, List<String> members) {
		List<Object> presenceKey = List.of(this.keys.presence(userId));
		CompletableFuture<Long> removed = this.scripts.run(RedisScripts.REMOVE, ReturnType.LONG, presenceKey,
				members.toArray());
		return removed.thenCompose((left) -> {
			if (left == null || left > 0) {
				return CompletableFuture.completedFuture(null);
			}
			return this.scripts.<Long>run(RedisScripts.DROP_USER, ReturnType.LONG, List.of(this.keys.users()), userId)
				.thenCompose(
						(dropped) -> this.scripts.<List<Object>>run(RedisScripts.LIVE, ReturnType.LIST, presenceKey))
				.thenCompose((live) -> live.isEmpty() ? CompletableFuture.completedFuture(null)
						: touchUsers(List.of(userId)))
				.thenApply((touched) -> null);
		});
	}

	private boolean addLocal(String userId, String sessionId, int maxSessionsPerUser) {
		AtomicBoolean added = new AtomicBoolean();
		this.localSessions.compute(userId, (key, sessions) -> {
			Set<String> result = (sessions != null) ? sessions : ConcurrentHashMap.newKeySet();
			if (result.contains(sessionId) || result.size() < maxSessionsPerUser) {
				result.add(sessionId);
				added.set(true);
			}
			return result.isEmpty() ? null : result;
		});
		if (added.get()) {
			this.localOnlyAdds.incrementAndGet();
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Session limit of user counted on this node only: Redis is not reachable");
		}
		return added.get();
	}

	private void record(String userId, String sessionId) {
		this.localSessions.computeIfAbsent(userId, (key) -> ConcurrentHashMap.newKeySet()).add(sessionId);
	}

	private boolean forget(String userId, String sessionId) {
		AtomicBoolean known = new AtomicBoolean();
		this.localSessions.computeIfPresent(userId, (key, sessions) -> {
			known.set(sessions.remove(sessionId));
			return sessions.isEmpty() ? null : sessions;
		});
		return known.get();
	}

	private Map<String, Set<String>> snapshot() {
		Map<String, Set<String>> snapshot = new HashMap<>();
		this.localSessions.forEach((userId, sessions) -> {
			Set<String> copy = new HashSet<>(sessions);
			if (!copy.isEmpty()) {
				snapshot.put(userId, copy);
			}
		});
		return snapshot;
	}

	private Map<String, Integer> localSessionsOf(String userId) {
		Set<String> sessions = this.localSessions.get(userId);
		return (sessions != null && !sessions.isEmpty()) ? Map.of(this.nodeId, sessions.size()) : Map.of();
	}

	private static int parseCount(Object value) {
		try {
			return Integer.parseInt(String.valueOf(value));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
