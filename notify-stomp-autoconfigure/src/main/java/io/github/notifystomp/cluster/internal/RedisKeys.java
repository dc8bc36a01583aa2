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

/**
 * Names of the Redis keys and channels of one deployment. Every name starts with the
 * configured prefix; the part in braces is the Redis Cluster hash tag, so that the keys a
 * script touches share a slot and the per-user and per-node names spread over the
 * cluster.
 */
final class RedisKeys {

	private final String prefix;

	RedisKeys(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * The sorted set of a user's sessions: member {@code <nodeId>|<sessionId>}, score the
	 * lease deadline in Redis milliseconds.
	 */
	String presence(String userId) {
		return this.prefix + ":presence:{" + userId + "}";
	}

	/**
	 * The sorted set of when each of a user's sessions connected: member as in
	 * {@link #presence(String)}, score the connect time in Redis milliseconds. It shares
	 * the presence key's hash tag, so that one script can use both in a Redis Cluster.
	 */
	String presenceOrder(String userId) {
		return this.prefix + ":presence-order:{" + userId + "}";
	}

	/**
	 * The sorted set of live nodes: member the node id, score its lease deadline.
	 */
	String nodes() {
		return this.prefix + ":{nodes}:leases";
	}

	/**
	 * The hash of session counts per node, written at each renewal.
	 */
	String nodeSessions() {
		return this.prefix + ":{nodes}:sessions";
	}

	/**
	 * The hash of the instance token of each node, which tells two running nodes with the
	 * same id apart.
	 */
	String nodeInstances() {
		return this.prefix + ":{nodes}:instances";
	}

	/**
	 * The sorted set of online users: member the user id, score the latest lease deadline
	 * of any of the user's sessions.
	 */
	String users() {
		return this.prefix + ":{nodes}:users";
	}

	/**
	 * The channel on which a node receives relays addressed to it.
	 */
	String inbox(String nodeId) {
		return inboxStart() + nodeId + inboxEnd();
	}

	// the inbox channel name is inboxStart() + node id + inboxEnd(), also in Lua
	String inboxStart() {
		return this.prefix + ":node:{";
	}

	String inboxEnd() {
		return "}";
	}

	/**
	 * The hash of how many user messages a node has relayed to each other node through
	 * the relay script (see {@link RedisScripts#RELAY_BATCH}).
	 */
	String relaySequences(String nodeId) {
		return this.prefix + ":relay-sequences:{" + nodeId + "}";
	}

	/**
	 * The key that says when a user was last disconnected, for a node that was away.
	 */
	String revoked(String userId) {
		return this.prefix + ":revoked:{" + userId + "}";
	}

	/**
	 * The hash of blocked users: field the user id, value the end of the block in epoch
	 * milliseconds.
	 */
	String blocks() {
		return this.prefix + ":{nodes}:blocks";
	}

	/**
	 * The channel every node listens to.
	 */
	String ticket(String ticketId) {
		return this.prefix + ":ticket:" + ticketId;
	}

	String broadcast() {
		return this.prefix + ":broadcast";
	}

	/**
	 * The presence member of a session.
	 */
	static String member(String nodeId, String sessionId) {
		return nodeId + "|" + sessionId;
	}

	/**
	 * The node id of a presence member.
	 */
	static String nodeOf(String member) {
		int separator = member.indexOf('|');
		return (separator > 0) ? member.substring(0, separator) : null;
	}

}
