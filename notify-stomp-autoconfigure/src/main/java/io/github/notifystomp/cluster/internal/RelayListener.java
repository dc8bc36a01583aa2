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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.api.listener.StatusListener;

import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.internal.DroppedMessages;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.delivery.internal.SessionTracker;
import io.github.notifystomp.metrics.NotifyMetrics;

/**
 * Takes what other nodes relay to this one to this node's sessions: listens on the shared
 * channel and, with targeted routing, on the node's own inbox channel, and notices when
 * Redisson subscribed them again after a reconnect.
 */
final class RelayListener {

	private static final Log logger = LogFactory.getLog(RelayListener.class);

	// how long a gap in an origin's numbers waits for batches that come late (what a
	// dropped subscription connection had received is handed over after the new one's
	// first batches) before what it misses counts as lost
	private static final Duration GAP_GRACE = Duration.ofSeconds(10);

	// the batches after a gap are held back, so that late ones do not reach users
	// after newer ones, until no late batch has come for this long: a dropped
	// connection hands over what it had received within milliseconds of the new
	// one's first batch
	private static final Duration GAP_HOLD = Duration.ofSeconds(1);

	// at most this many messages of one origin and channel are held back (about 5 MB)
	private static final int MAX_HELD_MESSAGES = 10_000;

	private final RelayChannels channels;

	private final RedisKeys keys;

	private final RelayCodec codec;

	private final RelayBatches batches;

	private final LocalSessions sessions;

	private final UserBlocks blocks;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	private final Settings settings;

	private final ClusterStatus status;

	private final RelaySequences sequences;

	// relay channels subscribed at least once: a later subscription follows a reconnect
	private final Set<String> subscribedChannels = ConcurrentHashMap.newKeySet();

	// when a re-subscription was last logged, and how many came since
	private final AtomicLong resubscriptionLogged = new AtomicLong(Long.MIN_VALUE);

	private final AtomicLong resubscriptionsUnlogged = new AtomicLong();

	private final StatusListener resubscriptions;

	RelayListener(RelayChannels channels, RedisKeys keys, RelayCodec codec, RelayBatches batches,
			LocalSessions sessions, UserBlocks blocks, ClusterStatus status, NotifyMetrics metrics,
			DroppedMessages drops, Settings settings) {
		this.channels = channels;
		this.keys = keys;
		this.codec = codec;
		this.batches = batches;
		this.sessions = sessions;
		this.blocks = blocks;
		this.metrics = metrics;
		this.drops = drops;
		this.settings = settings;
		this.status = status;
		this.sequences = new RelaySequences(GAP_GRACE, GAP_HOLD, MAX_HELD_MESSAGES, this::deliver);
		this.resubscriptions = new BaseStatusListener() {

			@Override
			public void onSubscribe(String channel) {
				// the first time too: harmless, there is nothing to catch up yet
				status.requestCatchUp("relay channel " + channel + " subscribed");
				if (!RelayListener.this.subscribedChannels.add(channel)) {
					resubscribed(channel);
				}
			}

		};
	}

	/**
	 * Listen on this node's relay channels unless already listening.
	 * @param sharded whether to use sharded pub/sub
	 * @return the future that completes when listening
	 */
	CompletableFuture<Void> subscribe(boolean sharded) {
		if (!this.channels.isSubscribed(this.keys.broadcast())) {
			this.channels.useSharded(sharded);
		}
		List<CompletableFuture<Void>> futures = new ArrayList<>(2);
		futures.add(this.channels.subscribe(this.keys.broadcast(), this::onRelay, this.resubscriptions));
		if (this.settings.targeted()) {
			futures.add(this.channels.subscribe(this.keys.inbox(this.settings.nodeId()), this::onRelay,
					this.resubscriptions));
		}
		return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
	}

	boolean isSubscribed() {
		return this.channels.isSubscribed(this.keys.broadcast())
				&& (!this.settings.targeted() || this.channels.isSubscribed(this.keys.inbox(this.settings.nodeId())));
	}

	// Redis pub/sub is at most once: what was published while the connection was down
	// is gone (the catch-up brings stored messages). Redisson logs the reconnect below
	// WARN; one line a minute at most, a flapping link must not flood the log
	private void resubscribed(String channel) {
		long count = this.resubscriptionsUnlogged.incrementAndGet();
		long now = System.nanoTime();
		long last = this.resubscriptionLogged.get();
		if ((last == Long.MIN_VALUE || now - last >= TimeUnit.MINUTES.toNanos(1))
				&& this.resubscriptionLogged.compareAndSet(last, now)) {
			this.resubscriptionsUnlogged.addAndGet(-count);
			logger.warn("notify-stomp cluster: relay channel " + channel
					+ " subscribed again after the connection to Redis dropped (" + count
					+ " re-subscription(s) since the last such line); transient messages and broadcasts relayed to"
					+ " node " + this.settings.nodeId() + " meanwhile are lost, stored messages are caught up");
		}
	}

	/**
	 * Handle a message received on one of this node's relay channels, or a batch of them.
	 * A message that is not a valid relay message is dropped and counted; it never
	 * affects other deliveries (not even those of its batch), and a valid one only
	 * reaches the user it names.
	 * @param channel the channel
	 * @param text the message
	 */
	void onRelay(CharSequence channel, String text) {
		if (!RelayBatches.isBatch(text)) {
			onMessage(channel, text);
			return;
		}
		RelayBatches.Batch batch;
		try {
			batch = this.batches.read(text);
		}
		catch (RelayCodec.RejectedRelayException ex) {
			rejected("a batch", channel, ex, text);
			return;
		}
		if (batch.sequence() == null || batch.origin().equals(this.settings.nodeId())) {
			deliver(channel, batch);
			return;
		}
		// numbered: handed on in the origin's order, once nothing older may still come
		RelaySequences.Lost gap = this.sequences.received(channel.toString(), batch);
		// messages the origin relayed on this channel before this batch that have not
		// come: stored ones are caught up from the store at once, transient ones count as
		// lost once the gap's grace period has passed without them (settleRelayGaps)
		if (gap.relayed() > gap.transients()) {
			this.status.requestCatchUp((gap.relayed() - gap.transients()) + " stored message(s) relayed from node "
					+ batch.origin() + " on " + channel + " did not come");
		}
	}

	// in the order the origin queued them: each user's messages stay in order
	private void deliver(CharSequence channel, RelayBatches.Batch batch) {
		for (String message : batch.messages()) {
			onMessage(channel, message);
		}
	}

	/**
	 * Hand on every batch held back behind a gap, without waiting any longer for late
	 * ones: the node is leaving the cluster.
	 */
	void releaseHeld() {
		this.sequences.releaseAll();
	}

	/**
	 * Hand on the batches held back behind a gap whose hold time has passed, and count
	 * the relayed messages that did not come within the grace period of their gap as
	 * dropped ({@code relay-gap}); the stored ones among them were caught up.
	 */
	void settleRelayGaps() {
		for (RelaySequences.Overdue overdue : this.sequences.overdue()) {
			RelaySequences.Lost lost = overdue.lost();
			this.drops.dropped("relay-gap", (int) Math.min(Integer.MAX_VALUE, lost.transients()),
					() -> lost.transients() + " message(s) relayed from node " + overdue.origin() + " on "
							+ overdue.channel() + " to node " + this.settings.nodeId()
							+ " were lost on the way (Redis pub/sub delivers at most once)");
		}
	}

	private void rejected(String what, CharSequence channel, RelayCodec.RejectedRelayException ex, String text) {
		this.metrics.relayDropped(ex.reason());
		logger.warn("Dropped " + what + " on relay channel " + channel + " (" + ex.reason() + ": " + ex.getMessage()
				+ ", " + ((text != null) ? text.length() : 0) + " chars)");
	}

	private void onMessage(CharSequence channel, String text) {
		RelayCodec.Envelope envelope;
		try {
			envelope = this.codec.read(text);
		}
		catch (RelayCodec.RejectedRelayException ex) {
			rejected("a message", channel, ex, text);
			return;
		}
		catch (RuntimeException ex) {
			this.metrics.relayDropped("unreadable");
			logger.warn("Dropped a message on relay channel " + channel + ": " + ClusterStatus.describe(ex));
			return;
		}
		if (envelope.origin().equals(this.settings.nodeId())) {
			// our own publish on the shared channel: delivered locally already
			return;
		}
		this.metrics.relayReceived();
		try {
			switch (envelope.kind()) {
				case USER -> {
					Notification notification = envelope.notification();
					int reached = this.sessions.deliver(notification);
					if (reached == 0 && this.settings.targeted()
							&& this.sessions.sessionCount(notification.userId()) == 0) {
						// presence named this node, but the session has ended meanwhile
						this.drops.dropped("no-session",
								() -> "message " + notification.id() + " for user " + notification.userId()
										+ " relayed from node " + envelope.origin()
										+ ": no session of the user here any more");
					}
				}
				case BROADCAST -> this.sessions.broadcast(envelope.notification());
				case DISCONNECT -> {
					this.blocks.refuseUntil(envelope.userId(), envelope.refuseReconnectsUntil());
					this.sessions.closeUser(envelope.userId(), LocalSessions.DISCONNECT_TEXT);
				}
				case ALLOW -> this.blocks.allow(envelope.userId());
				case CATCH_UP -> this.sessions.catchUp("node " + envelope.origin() + " could not relay messages");
				case REPLACED -> {
					if (envelope.session().nodeId().equals(this.settings.nodeId())) {
						this.sessions.closeSessionOf(envelope.userId(), envelope.session().sessionId(),
								SessionTracker.SESSION_REPLACED);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			this.metrics.relayDropped("delivery-failed");
			logger.warn(
					"Relay from node " + envelope.origin() + " could not be delivered: " + ClusterStatus.describe(ex));
			if (envelope.kind() == RelayCodec.Kind.USER || envelope.kind() == RelayCodec.Kind.BROADCAST) {
				this.drops.dropped("delivery-failed",
						() -> "message " + envelope.notification().id() + " relayed from node " + envelope.origin());
			}
		}
	}

	/**
	 * Who listens, and on which channels.
	 *
	 * @param nodeId this node's id: relays from it were delivered here already
	 * @param targeted whether the node also listens on its own inbox channel
	 */
	record Settings(String nodeId, boolean targeted) {
	}

}
