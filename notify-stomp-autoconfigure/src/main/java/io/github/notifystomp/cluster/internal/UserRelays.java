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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RScript;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.delivery.internal.DroppedMessages;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.PresenceRegistry;

/**
 * The relays of user messages to other nodes, in batches: a send puts its relay in the
 * {@link RelayBatcher} queue and returns, and the batcher's thread publishes many relays
 * in one Redis call (one script that looks up the users and publishes one message per
 * node), so that no sender waits for a Redis round trip per message. Every relay that is
 * not published is accounted for: a stored message is left to the catch-up from the
 * store, a transient one is counted in {@code notify.stomp.messages.dropped}.
 */
final class UserRelays {

	private static final Log logger = LogFactory.getLog(UserRelays.class);

	// how long the relay script's numbers outlive the last relay of a node: a receiver
	// whose numbers went back starts counting again, it never counts a loss for it
	private static final Duration SEQUENCES_LIFETIME = Duration.ofDays(1);

	private final Redis redis;

	private final ClusterStatus status;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	private final RelayPublishes publishes;

	private final String nodeId;

	private final RedisClusterRelay.Settings settings;

	// whether the node relays at all (it joined and has not left)
	private final BooleanSupplier active;

	// a relay of a stored message failed since the last catch-up request to the cluster
	private final AtomicBoolean lostRelays = new AtomicBoolean();

	private final AtomicBoolean queueFullLogged = new AtomicBoolean();

	private final RelayBatcher batcher;

	// what this node has relayed on each channel it publishes on itself, for the numbers
	// of its batches (the relay script keeps its own in Redis); the flusher thread only
	private final Map<String, RelayBatches.Sequence> relayedOn = new HashMap<>();

	// the token of this node's numbering in the relay script: receivers start counting
	// again when it changes; null when every message goes alone, as nodes that predate
	// batches expect
	private final String epoch;

	UserRelays(Redis redis, ClusterStatus status, NotifyMetrics metrics, DroppedMessages drops,
			RelayPublishes publishes, String nodeId, RedisClusterRelay.Settings settings, BooleanSupplier active) {
		this.redis = redis;
		this.status = status;
		this.metrics = metrics;
		this.drops = drops;
		this.publishes = publishes;
		this.nodeId = nodeId;
		this.settings = settings;
		this.active = active;
		this.epoch = (settings.relayMaxBatchSize() > 1) ? newEpoch() : null;
		// room for the batch header in the longest relay a node reads
		this.batcher = new RelayBatcher(this::publishBatch, this::failed,
				new RelayBatcher.Settings(nodeId, settings.relayQueueLimit(), settings.relayBatchDelay(),
						settings.relayMaxBatchSize(), Math.max(1, settings.maxRelayLength() - 256)));
	}

	/**
	 * Queue the relay of a user message; the flusher publishes it with the relays queued
	 * around it. The sender waits only when the queue is full, and then at most the
	 * publish timeout.
	 * @param notification the message
	 * @param reachedHere how many sessions of this node it reached
	 */
	void toUser(Notification notification, int reachedHere) {
		if (!relaying()) {
			notRelayed(notification, reachedHere, "relay-unavailable", "Redis is unreachable");
			return;
		}
		RelayBatcher.Entry entry = new RelayBatcher.Entry(notification, reachedHere,
				this.redis.batches().entry(this.redis.codec().user(this.nodeId, notification)), System.nanoTime());
		if (!this.batcher.offer(entry, this.settings.publishTimeout())) {
			this.metrics.relayDropped("queue-full");
			if (notification.isStored() && this.queueFullLogged.compareAndSet(false, true)) {
				logger.warn("notify-stomp cluster: the relay queue of node " + this.nodeId + " stayed full ("
						+ this.settings.relayQueueLimit() + " messages, notify.stomp.cluster.relay-queue-limit)"
						+ " for the publish timeout; stored messages not relayed are caught up from the store");
			}
			notRelayed(notification, reachedHere, "relay-queue-full",
					"the relay queue stayed full for the publish" + " timeout");
		}
	}

	// A stored message is caught up from the store once Redis answers; a transient one is
	// gone, and counted unless a session here took it (the user may be here only)
	private void notRelayed(Notification notification, int reachedHere, String reason, String why) {
		if (notification.isStored()) {
			if (this.active.getAsBoolean()) {
				this.lostRelays.set(true);
			}
		}
		else if (reachedHere == 0 || !"relay-unavailable".equals(reason)) {
			this.drops.dropped(reason, () -> "message " + notification.id() + " for user " + notification.userId()
					+ ": not relayed to other nodes, " + why);
		}
	}

	boolean hasLostRelays() {
		return this.lostRelays.get();
	}

	/**
	 * Take the mark that relays of stored messages failed.
	 * @return whether some did
	 */
	boolean takeLostRelays() {
		return this.lostRelays.getAndSet(false);
	}

	void lostRelays() {
		this.lostRelays.set(true);
	}

	/**
	 * Publish the relays still queued, waiting for them at most the publish timeout;
	 * those still queued then are accounted for as failed relays.
	 */
	void flush() {
		if (!this.batcher.flush(this.settings.publishTimeout())) {
			// the batch in flight is accounted for by the flusher when its publish ends
			List<RelayBatcher.Entry> left = this.batcher.takeQueued();
			logger.warn("notify-stomp cluster: node " + this.nodeId + " stopped with " + left.size()
					+ " relay(s) not published in time; transient ones count as dropped, stored ones are left"
					+ " to replay");
			failed(left);
		}
	}

	int pending() {
		return this.batcher.pending();
	}

	private boolean relaying() {
		return this.active.getAsBoolean() && this.status.isRedisReachable();
	}

	// on the flusher thread: one batch, in order, waiting for Redis at most the publish
	// timeout; a batch that is not published is accounted for message by message
	private void publishBatch(List<RelayBatcher.Entry> batch) {
		if (!this.status.isRedisReachable()) {
			for (RelayBatcher.Entry entry : batch) {
				notRelayed(entry.notification(), entry.reachedHere(), "relay-unavailable", "Redis is unreachable");
			}
			return;
		}
		boolean published;
		try {
			published = publishEntries(batch, Deadline.in(this.settings.publishTimeout()));
		}
		catch (Deadline.RedisCallException ex) {
			this.publishes.failed(ex);
			published = false;
		}
		catch (RuntimeException ex) {
			this.metrics.relayDropped("publish-failed");
			logger.warn("notify-stomp cluster: relay batch not published: " + ClusterStatus.describe(ex));
			published = false;
		}
		if (!published) {
			failed(batch);
		}
	}

	// relays that may not have reached every node; a publish that timed out may still
	// be carried out by Redis, so a message counted here can arrive all the same
	void failed(List<RelayBatcher.Entry> entries) {
		for (RelayBatcher.Entry entry : entries) {
			Notification notification = entry.notification();
			if (notification.isStored()) {
				this.lostRelays.set(true);
			}
			else {
				this.drops.dropped("relay-failed", () -> "message " + notification.id() + " for user "
						+ notification.userId() + ": the relay to other nodes failed");
			}
		}
	}

	private boolean publishEntries(List<RelayBatcher.Entry> batch, Deadline deadline) {
		if (!this.settings.targeted()) {
			return publishNumbered(Map.of(this.redis.keys().broadcast(), batch), deadline);
		}
		if (this.redis.presence() != null && !this.redis.channels().isSharded() && !this.redis.cluster()) {
			publishToHolders(batch, deadline);
			return true;
		}
		Map<String, List<RelayBatcher.Entry>> byChannel = new LinkedHashMap<>();
		Map<String, Set<String>> nodesByUser = remoteNodesOf(batch, deadline);
		for (RelayBatcher.Entry entry : batch) {
			for (String node : nodesByUser.get(entry.notification().userId())) {
				byChannel.computeIfAbsent(this.redis.keys().inbox(node), (key) -> new ArrayList<>()).add(entry);
			}
		}
		return publishNumbered(byChannel, deadline);
	}

	// one numbered batch per channel, all sent before any is awaited. A publish that
	// failed or did not answer in time may have reached the channel or not: the channel's
	// numbering starts again with a new epoch, so that its receivers neither count the
	// batch (this node counted it as failed) nor take later numbers for a gap
	private boolean publishNumbered(Map<String, List<RelayBatcher.Entry>> byChannel, Deadline deadline) {
		List<String> channels = new ArrayList<>(byChannel.size());
		List<RelayBatches.Sequence> sequences = new ArrayList<>(byChannel.size());
		List<CompletableFuture<Long>> futures = new ArrayList<>(byChannel.size());
		List<Integer> counts = new ArrayList<>(byChannel.size());
		byChannel.forEach((channel, entries) -> {
			RelayBatches.Sequence sequence = (this.epoch != null) ? next(this.relayedOn.get(channel), entries) : null;
			List<RelayBatches.Entry> framed = new ArrayList<>(entries.size());
			entries.forEach((entry) -> framed.add(entry.framed()));
			channels.add(channel);
			sequences.add(sequence);
			futures.add(this.redis.channels()
				.publish(channel, (sequence != null) ? this.redis.batches().write(this.nodeId, framed, sequence)
						: this.redis.batches().write(this.nodeId, framed)));
			counts.add(entries.size());
		});
		boolean[] published = this.publishes.awaitEach(futures, counts, deadline);
		boolean all = true;
		for (int i = 0; i < published.length; i++) {
			if (published[i] && sequences.get(i) != null) {
				this.relayedOn.put(channels.get(i), sequences.get(i));
			}
			else {
				this.relayedOn.remove(channels.get(i));
			}
			all &= published[i];
		}
		return all;
	}

	private static RelayBatches.Sequence next(RelayBatches.Sequence last, List<RelayBatcher.Entry> entries) {
		int transients = 0;
		for (RelayBatcher.Entry entry : entries) {
			if (!entry.notification().isStored()) {
				transients++;
			}
		}
		return new RelayBatches.Sequence(transients, ((last != null) ? last.relayed() : 0) + entries.size(),
				((last != null) ? last.transients() : 0) + transients, (last != null) ? last.epoch() : newEpoch());
	}

	private static String newEpoch() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	// the look-ups of all users at once, pipelined, then awaited
	private Map<String, Set<String>> remoteNodesOf(List<RelayBatcher.Entry> batch, Deadline deadline) {
		Map<String, CompletableFuture<Map<String, Integer>>> lookups = new LinkedHashMap<>();
		for (RelayBatcher.Entry entry : batch) {
			lookups.computeIfAbsent(entry.notification().userId(),
					(userId) -> (this.redis.presence() != null) ? this.redis.presence().sessionsOfAsync(userId)
							: CompletableFuture.completedFuture(this.redis.registry().sessionsOf(userId)));
		}
		Map<String, Set<String>> nodesByUser = new HashMap<>();
		lookups.forEach((userId, lookup) -> {
			Set<String> nodes = new LinkedHashSet<>(deadline.await(lookup, "presence lookup").keySet());
			nodes.remove(this.nodeId);
			nodesByUser.put(userId, nodes);
		});
		return nodesByUser;
	}

	// The presence look-ups and the publishes in one script, one round trip for the whole
	// batch. Sharded pub/sub and Redis Cluster cannot: the users' keys and the channels
	// live on different shards.
	private void publishToHolders(List<RelayBatcher.Entry> batch, Deadline deadline) {
		Map<String, Integer> keyIndex = new LinkedHashMap<>();
		List<Object> args = new ArrayList<>(6 + 3 * batch.size());
		args.add(this.nodeId);
		args.add(this.redis.keys().inboxStart());
		args.add(this.redis.keys().inboxEnd());
		args.add(this.redis.batches().header(this.nodeId));
		args.add(Long.toString(SEQUENCES_LIFETIME.toMillis()));
		args.add((this.epoch != null) ? this.epoch : "");
		for (RelayBatcher.Entry entry : batch) {
			String key = this.redis.keys().presence(entry.notification().userId());
			Integer index = keyIndex.computeIfAbsent(key, (k) -> keyIndex.size() + 1);
			args.add(index.toString());
			args.add(entry.notification().isStored() ? "s" : "t");
			args.add(entry.framed().framed());
		}
		List<Object> keys = new ArrayList<>(keyIndex.keySet());
		keys.add(this.redis.keys().relaySequences(this.nodeId));
		Long published = deadline.await(
				this.redis.scripts().run(RedisScripts.RELAY_BATCH, RScript.ReturnType.LONG, keys, args.toArray()),
				"relay publish");
		this.publishes.published(published);
	}

	/**
	 * What the user relays use of Redis.
	 *
	 * @param keys the key and channel names
	 * @param channels publishes on channels
	 * @param scripts runs the relay script
	 * @param codec writes relay messages
	 * @param batches writes batches
	 * @param registry tells which nodes hold a user
	 * @param presence the same registry when presence is kept in Redis, else {@code null}
	 * @param cluster whether Redis is a Redis Cluster
	 */
	record Redis(RedisKeys keys, RelayChannels channels, RedisScripts scripts, RelayCodec codec, RelayBatches batches,
			PresenceRegistry registry, RedisPresenceRegistry presence, boolean cluster) {

	}

}
