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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.internal.LocalSessions;

/**
 * Disconnects and blocks of users that must reach every node, also a node that is away
 * from Redis when they happen. A relay message tells the nodes that listen at that
 * moment; besides, each disconnect is written to Redis (a key per user that lives a day,
 * and a hash of the blocks in force), so that a node that comes back closes the sessions
 * that connected before the disconnect and refuses the blocked users; and a disconnect
 * that this node could not publish is kept and published when Redis answers again.
 */
final class Revocations {

	private static final Log logger = LogFactory.getLog(Revocations.class);

	// how long a node that was away can still learn of a disconnect it missed
	static final Duration REMEMBERED = Duration.ofDays(1);

	// bounds what a long Redis outage makes this node hold
	private static final int MAX_PENDING = 10_000;

	private static final int BATCH = 500;

	private final RedissonClient redisson;

	private final RedisKeys keys;

	private final UserBlocks blocks;

	private final LocalSessions sessions;

	private final Map<String, Revocation> pending = new LinkedHashMap<>();

	Revocations(RedissonClient redisson, RedisKeys keys, UserBlocks blocks, LocalSessions sessions) {
		this.redisson = redisson;
		this.keys = keys;
		this.blocks = blocks;
		this.sessions = sessions;
	}

	/**
	 * Write a disconnect (or a lifted block) to Redis, for nodes that are away now.
	 * @param userId the user
	 * @param revocation what happened
	 * @param deadline when to give up
	 * @throws Deadline.RedisCallException if Redis did not take it in time
	 */
	void record(String userId, Revocation revocation, Deadline deadline) {
		if (revocation.allow()) {
			deadline.await(this.redisson.getMap(this.keys.blocks(), StringCodec.INSTANCE)
				.fastRemoveAsync(userId)
				.toCompletableFuture(), "block lift");
			return;
		}
		deadline.await(this.redisson.getBucket(this.keys.revoked(userId), StringCodec.INSTANCE)
			.setAsync(Long.toString(revocation.at().toEpochMilli()), REMEMBERED)
			.toCompletableFuture(), "disconnect record");
		if (revocation.refuseUntil() != null) {
			deadline.await(this.redisson.getMap(this.keys.blocks(), StringCodec.INSTANCE)
				.fastPutAsync(userId, Long.toString(revocation.refuseUntil().toEpochMilli()))
				.toCompletableFuture(), "block record");
		}
	}

	/**
	 * Keep a disconnect or a lifted block that could not reach the other nodes, until
	 * Redis answers again. A newer one for the same user replaces an older one.
	 * @param userId the user
	 * @param revocation what happened
	 */
	synchronized void keep(String userId, Revocation revocation) {
		this.pending.remove(userId);
		if (this.pending.size() >= MAX_PENDING) {
			String oldest = this.pending.keySet().iterator().next();
			this.pending.remove(oldest);
			logger.warn("notify-stomp cluster: more than " + MAX_PENDING + " disconnects wait for Redis; the oldest,"
					+ " of user '" + oldest + "', is left to the record other nodes read when they" + " come back");
		}
		this.pending.put(userId, revocation);
	}

	synchronized boolean hasPending() {
		return !this.pending.isEmpty();
	}

	synchronized Map<String, Revocation> takePending() {
		Map<String, Revocation> taken = new LinkedHashMap<>(this.pending);
		this.pending.clear();
		return taken;
	}

	/**
	 * Catch up with what happened while this node was away from Redis: refuse the users
	 * blocked now, and close the local sessions that connected before a disconnect of
	 * their user.
	 * @param deadline when to give up
	 * @return the number of sessions closed
	 * @throws Deadline.RedisCallException if Redis did not answer in time
	 */
	int catchUp(Deadline deadline) {
		Map<String, String> blocked = deadline
			.await(this.redisson.<String, String>getMap(this.keys.blocks(), StringCodec.INSTANCE)
				.readAllMapAsync()
				.toCompletableFuture(), "block list");
		List<String> ended = new ArrayList<>();
		blocked.forEach((userId, until) -> {
			Instant end = millis(until);
			if (end == null || !end.isAfter(Instant.now())) {
				ended.add(userId);
			}
			this.blocks.refuseUntil(userId, end);
		});
		if (!ended.isEmpty()) {
			deadline.await(this.redisson.getMap(this.keys.blocks(), StringCodec.INSTANCE)
				.fastRemoveAsync(ended.toArray())
				.toCompletableFuture(), "block cleanup");
		}
		List<String> users = new ArrayList<>(this.sessions.userIds());
		int closed = 0;
		for (int from = 0; from < users.size(); from += BATCH) {
			List<String> batch = users.subList(from, Math.min(users.size(), from + BATCH));
			Map<String, String> revoked = deadline.await(this.redisson.getBuckets(StringCodec.INSTANCE)
				.<String>getAsync(batch.stream().map(this.keys::revoked).toArray(String[]::new))
				.toCompletableFuture(), "disconnect records");
			for (String userId : batch) {
				Instant at = millis(revoked.get(this.keys.revoked(userId)));
				if (at != null) {
					closed += this.sessions.closeUserConnectedBefore(userId, at, LocalSessions.DISCONNECT_TEXT);
				}
			}
		}
		if (closed > 0) {
			logger.info("notify-stomp cluster: closed " + closed + " session(s) of users disconnected while this"
					+ " node was away from Redis");
		}
		return closed;
	}

	private static Instant millis(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(text));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A disconnect, with the end of the user's block, or the lift of a block.
	 *
	 * @param at when it happened
	 * @param refuseUntil the end of the block, or {@code null}
	 * @param allow whether this lifts the block instead
	 */
	record Revocation(Instant at, Instant refuseUntil, boolean allow) {

		static Revocation disconnect(Instant refuseUntil) {
			return new Revocation(Instant.now(), refuseUntil, false);
		}

		static Revocation lift() {
			return new Revocation(Instant.now(), null, true);
		}

	}

}
