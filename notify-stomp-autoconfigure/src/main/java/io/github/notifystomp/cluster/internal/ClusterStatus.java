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

import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What this node knows about its link to Redis: whether Redis answers, whether the relay
 * channels are subscribed, when the presence lease was last renewed and the last error.
 * While Redis is unreachable the node keeps serving its own sessions.
 */
public final class ClusterStatus {

	private static final Log logger = LogFactory.getLog(ClusterStatus.class);

	private final String nodeId;

	private State state = State.UNKNOWN;

	private boolean subscribed;

	private boolean shardedChannels;

	private Instant lastRenewal;

	private String lastError;

	private Instant lastErrorAt;

	// why this node's sessions need a catch-up from the store, or null
	private String catchUpReason;

	/**
	 * Create the status of a node that has not reached Redis yet.
	 * @param nodeId this node's id
	 */
	public ClusterStatus(String nodeId) {
		this.nodeId = nodeId;
	}

	/**
	 * Return this node's id.
	 * @return the node id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Whether Redis answered the last time this node asked it; {@code false} until the
	 * first answer.
	 * @return {@code true} if reachable
	 */
	public synchronized boolean isRedisReachable() {
		return this.state == State.UP;
	}

	/**
	 * Whether this node listens on its relay channels.
	 * @return {@code true} if subscribed
	 */
	public synchronized boolean isSubscribed() {
		return this.subscribed;
	}

	/**
	 * Whether relay channels use Redis 7 sharded pub/sub (a Redis Cluster).
	 * @return {@code true} for sharded channels
	 */
	public synchronized boolean isShardedChannels() {
		return this.shardedChannels;
	}

	/**
	 * Return when this node last renewed its presence lease.
	 * @return the time, or {@code null} if it never did
	 */
	public synchronized Instant lastRenewal() {
		return this.lastRenewal;
	}

	/**
	 * Return the last Redis error this node saw.
	 * @return a short description, or {@code null} if there was none
	 */
	public synchronized String lastError() {
		return this.lastError;
	}

	/**
	 * Return when the last Redis error happened.
	 * @return the time, or {@code null} if there was none
	 */
	public synchronized Instant lastErrorAt() {
		return this.lastErrorAt;
	}

	synchronized void renewed(Instant at, int sessions) {
		if (this.state == State.STOPPED) {
			return;
		}
		State previous = this.state;
		this.state = State.UP;
		this.lastRenewal = at;
		if (previous == State.UNKNOWN) {
			logger.info("notify-stomp cluster: node " + this.nodeId + " joined through Redis with " + sessions
					+ " session(s)");
		}
		else if (previous == State.DOWN) {
			logger.info("notify-stomp cluster: Redis is reachable again; node " + this.nodeId + " re-registered "
					+ sessions + " session(s)");
		}
	}

	synchronized void failed(String operation, Throwable failure) {
		if (this.state == State.STOPPED) {
			return;
		}
		State previous = this.state;
		this.state = State.DOWN;
		// relays to this node may be lost until it is back
		requestCatchUp("Redis was unreachable");
		this.lastError = operation + ": " + describe(failure);
		this.lastErrorAt = Instant.now();
		if (previous != State.DOWN) {
			logger.warn("notify-stomp cluster: Redis is unreachable (" + this.lastError + "); node " + this.nodeId
					+ " keeps serving its own sessions and retries in the background");
		}
	}

	/**
	 * Ask for a catch-up of this node's sessions from the store, done once the node is
	 * back in the cluster (renewed and subscribed).
	 * @param reason why, for the log
	 */
	synchronized void requestCatchUp(String reason) {
		if (this.state != State.STOPPED && this.catchUpReason == null) {
			this.catchUpReason = reason;
		}
	}

	synchronized boolean isCatchUpRequested() {
		return this.catchUpReason != null;
	}

	/**
	 * Take the pending catch-up request.
	 * @return its reason, or {@code null} if there is none
	 */
	synchronized String takeCatchUpRequest() {
		String reason = this.catchUpReason;
		this.catchUpReason = null;
		return reason;
	}

	synchronized void subscribed(boolean subscribed, boolean sharded) {
		this.subscribed = subscribed;
		this.shardedChannels = sharded;
	}

	synchronized void started() {
		this.state = State.UNKNOWN;
	}

	synchronized void stopped() {
		this.state = State.STOPPED;
		this.subscribed = false;
	}

	// the root cause says it best: Redisson wraps "Connection refused" three times
	static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		String text = cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	@Override
	public synchronized String toString() {
		return "ClusterStatus[node=" + this.nodeId + ", state=" + this.state + ", subscribed=" + this.subscribed
				+ ", lastRenewal=" + this.lastRenewal + ", lastError=" + this.lastError + "]";
	}

	private enum State {

		UNKNOWN, UP, DOWN, STOPPED

	}

}
