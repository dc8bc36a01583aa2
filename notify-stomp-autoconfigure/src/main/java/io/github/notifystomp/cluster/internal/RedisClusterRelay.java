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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RedissonClient;

import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.ClusterRelay;
import io.github.notifystomp.delivery.internal.DroppedMessages;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * The {@link ClusterRelay} of a cluster of nodes linked through Redis pub/sub. With
 * targeted routing a user message is published once to the inbox channel of each other
 * node that holds a session of the user (looked up in the presence registry), and not at
 * all when no other node does; with broadcast routing it is published once on the channel
 * every node listens to, and each node delivers to its own sessions of the user.
 * Broadcasts and disconnects always go on that shared channel. The {@link RelayListener}
 * takes what the other nodes publish to this node's sessions.
 * <p>
 * User messages are relayed in batches ({@link UserRelays}), so that no sender waits for
 * a Redis round trip per message.
 * <p>
 * Relays are at-most-once, as Redis pub/sub is: a relay that fails is counted and logged,
 * never thrown at the sender, and no sender waits longer than the publish timeout. A
 * stored message that misses a node stays in the store, and the client gets it by replay
 * ({@code notify-since}) when it subscribes again, or by a catch-up of the node's
 * sessions: each node catches up when Redisson subscribed its channels again after a
 * reconnect, and a node that could not publish stored messages asks every node to catch
 * up once it reaches Redis again.
 */
public class RedisClusterRelay implements ClusterRelay {

	private static final Log logger = LogFactory.getLog(RedisClusterRelay.class);

	static final String DISCONNECT_TEXT = LocalSessions.DISCONNECT_TEXT;

	private final ClusterStatus status;

	private final RedisKeys keys;

	private final RelayChannels channels;

	private final RelayCodec codec;

	private final RelayPublishes publishes;

	private final DroppedMessages drops;

	private final Revocations revocations;

	private final String nodeId;

	private final Settings settings;

	private final AtomicBoolean active = new AtomicBoolean();

	private final RelayListener listener;

	private final UserRelays userRelays;

	/**
	 * Create a relay.
	 * @param redisson the Redis client
	 * @param nodeId this node's id, the origin of its relays
	 * @param sessions this node's sessions, which relays received reach
	 * @param presence tells which nodes hold a user
	 * @param redisPresence the same registry when presence is kept in Redis, which lets a
	 * relay look the holders up in the script that publishes it; {@code null} when the
	 * application replaced the registry
	 * @param status the state of the link to Redis
	 * @param metrics records relays
	 * @param payloadJson checks the payloads of relays received
	 * @param blocks the users whose CONNECTs this node refuses
	 * @param settings key prefix, routing and limits
	 */
	public RedisClusterRelay(RedissonClient redisson, String nodeId, LocalSessions sessions, PresenceRegistry presence,
			RedisPresenceRegistry redisPresence, ClusterStatus status, NotifyMetrics metrics, PayloadJson payloadJson,
			UserBlocks blocks, Settings settings) {
		this.status = status;
		this.drops = new DroppedMessages(metrics);
		this.keys = new RedisKeys(settings.keyPrefix());
		this.channels = new RelayChannels(redisson);
		this.codec = new RelayCodec(settings.maxRelayLength(), settings.relaySecret(), payloadJson);
		RelayBatches batches = new RelayBatches(settings.maxRelayLength());
		this.publishes = new RelayPublishes(this.channels, status, metrics);
		this.revocations = new Revocations(redisson, this.keys, blocks, sessions);
		this.nodeId = nodeId;
		this.settings = settings;
		this.listener = new RelayListener(this.channels, this.keys, this.codec, batches, sessions, blocks, status,
				metrics, this.drops, new RelayListener.Settings(nodeId, settings.targeted()));
		UserRelays.Redis redis = new UserRelays.Redis(this.keys, this.channels, new RedisScripts(redisson), this.codec,
				batches, presence, redisPresence, redisson.getConfig().isClusterConfig());
		this.userRelays = new UserRelays(redis, status, metrics, this.drops, this.publishes, nodeId, settings,
				this.active::get);
	}

	/**
	 * Queue the relay of a user message; the relay's flusher publishes it with the relays
	 * queued around it. The sender waits for Redis only when the queue is full, and then
	 * at most the publish timeout.
	 */
	@Override
	public void toUser(Notification notification, int reachedHere) {
		this.userRelays.toUser(notification, reachedHere);
	}

	@Override
	public void broadcast(Notification notification) {
		if (!relaying()) {
			this.drops.dropped("relay-unavailable",
					() -> "broadcast " + notification.id() + ": not relayed to other nodes, Redis is unreachable");
		}
		else if (!this.publishes.publish(List.of(this.keys.broadcast()),
				this.codec.broadcast(this.nodeId, notification), Deadline.in(this.settings.publishTimeout()))) {
			this.drops.dropped("relay-failed",
					() -> "broadcast " + notification.id() + ": the relay to other nodes failed");
		}
	}

	@Override
	public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
		return tell(userId, Revocations.Revocation.disconnect(refuseReconnectsUntil));
	}

	@Override
	public void allowReconnects(String userId) {
		tell(userId, Revocations.Revocation.lift());
	}

	@Override
	public boolean closeReplacedSession(String nodeId, String userId, String sessionId) {
		String message = this.codec.replaced(this.nodeId, userId, nodeId, sessionId);
		String channel = this.settings.targeted() ? this.keys.inbox(nodeId) : this.keys.broadcast();
		boolean told = relaying()
				&& this.publishes.publish(List.of(channel), message, Deadline.in(this.settings.publishTimeout()));
		if (!told) {
			logger.warn("notify-stomp cluster: could not tell node " + nodeId + " to close session "
					+ SessionLabels.of(sessionId) + " of user '" + userId
					+ "', replaced at the session limit; it stays open until it ends, and the user has one session"
					+ " over the limit meanwhile");
		}
		return told;
	}

	// to every node, not only those in presence: a kick must not hang on a lease; kept
	// for later when Redis is away, so that no node keeps a revoked user
	private boolean tell(String userId, Revocations.Revocation revocation) {
		if (!this.active.get()) {
			return true;
		}
		boolean told = relaying() && tellNow(userId, revocation, Deadline.in(this.settings.publishTimeout()));
		if (!told) {
			this.revocations.keep(userId, revocation);
		}
		return told;
	}

	private boolean tellNow(String userId, Revocations.Revocation revocation, Deadline deadline) {
		try {
			this.revocations.record(userId, revocation, deadline);
		}
		catch (Deadline.RedisCallException ex) {
			this.publishes.failed(ex);
			return false;
		}
		String message = revocation.allow() ? this.codec.allow(this.nodeId, userId)
				: this.codec.disconnect(this.nodeId, userId, revocation.refuseUntil());
		return this.publishes.publish(List.of(this.keys.broadcast()), message, deadline);
	}

	/**
	 * Whether disconnects wait for Redis to reach the other nodes.
	 */
	boolean hasPendingRevocations() {
		return this.revocations.hasPending();
	}

	/**
	 * Tell the other nodes of the disconnects that waited for Redis. Runs on the cluster
	 * thread once Redis answers again.
	 * @param deadline when to give up
	 */
	void tellPendingRevocations(Deadline deadline) {
		Map<String, Revocations.Revocation> pending = this.revocations.takePending();
		pending.forEach((userId, revocation) -> {
			if (!tellNow(userId, revocation, deadline)) {
				this.revocations.keep(userId, revocation);
			}
		});
		if (!pending.isEmpty() && !this.revocations.hasPending()) {
			logger.info("notify-stomp cluster: node " + this.nodeId + " told the other nodes of " + pending.size()
					+ " disconnect(s) made while Redis was away");
		}
	}

	/**
	 * Catch up with the disconnects and blocks this node missed while it was away from
	 * Redis. Runs on the cluster thread when the node is back.
	 * @param deadline when to give up
	 */
	void catchUpRevocations(Deadline deadline) {
		try {
			this.revocations.catchUp(deadline);
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
		}
	}

	/**
	 * Whether a relay of a stored message failed since the last catch-up request.
	 */
	boolean hasLostRelays() {
		return this.userRelays.hasLostRelays();
	}

	/**
	 * Ask every other node to catch its sessions up, after relays of stored messages
	 * failed here. Runs on the cluster thread once Redis answers again.
	 * @param deadline when to give up
	 */
	void requestClusterCatchUp(Deadline deadline) {
		if (!this.userRelays.takeLostRelays()) {
			return;
		}
		if (!this.publishes.publish(List.of(this.keys.broadcast()), this.codec.catchUp(this.nodeId), deadline)) {
			this.userRelays.lostRelays();
		}
		else {
			logger.info("notify-stomp cluster: node " + this.nodeId
					+ " could not relay some stored messages; asked the other nodes to catch up");
		}
	}

	/**
	 * Listen on this node's relay channels unless already listening.
	 * @param sharded whether to use sharded pub/sub
	 * @return the future that completes when listening
	 */
	CompletableFuture<Void> subscribe(boolean sharded) {
		return this.listener.subscribe(sharded);
	}

	boolean isSubscribed() {
		return this.listener.isSubscribed();
	}

	boolean isSharded() {
		return this.channels.isSharded();
	}

	CompletableFuture<Void> unsubscribe() {
		return this.channels.unsubscribeAll();
	}

	void activate() {
		this.active.set(true);
	}

	/**
	 * Stop relaying new messages, and publish the relays still queued, waiting for them
	 * at most the publish timeout; those still queued then are accounted for as failed
	 * relays. Relayed batches held back behind a gap are handed on to the sessions.
	 */
	void deactivate() {
		this.active.set(false);
		this.userRelays.flush();
		this.listener.releaseHeld();
	}

	/**
	 * Hand on the relayed batches held back behind a gap in the numbers whose hold time
	 * has passed, and count the relayed messages this node missed, whose gap was not
	 * filled within its grace period, as dropped.
	 */
	void settleRelayGaps() {
		this.listener.settleRelayGaps();
	}

	/**
	 * How many user relays wait to be published.
	 */
	int pendingRelays() {
		return this.userRelays.pending();
	}

	private boolean relaying() {
		return this.active.get() && this.status.isRedisReachable();
	}

	/**
	 * How the relay publishes.
	 *
	 * @param keyPrefix the prefix of every Redis key and channel
	 * @param targeted {@code true} to publish user messages only to the nodes that hold
	 * the user, {@code false} to publish them on the channel every node listens to
	 * @param publishTimeout the longest time a send waits for Redis
	 * @param maxRelayLength the longest relay message accepted, in characters
	 * @param relaySecret the secret that signs relay messages, or {@code null} for none
	 * @param relayQueueLimit the most user relays queued for publishing
	 * @param relayBatchDelay the longest time a queued relay waits for others to join its
	 * batch
	 * @param relayMaxBatchSize the most messages in one relay batch; 1 publishes every
	 * message alone
	 */
	public record Settings(String keyPrefix, boolean targeted, Duration publishTimeout, int maxRelayLength,
			String relaySecret, int relayQueueLimit, Duration relayBatchDelay, int relayMaxBatchSize) {

	}

}
