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

package io.github.notifystomp.delivery.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.transport.internal.SessionLabels;
import io.github.notifystomp.transport.internal.WebSocketConnections;

/**
 * Writes MESSAGE frames into the outboxes of this node's sessions: the ACK token and
 * redelivery tracking of stored messages, the store epoch they carry, and what a full
 * outbox means (a drop, or a slow consumer closed).
 */
final class SessionWriter {

	private static final Log logger = LogFactory.getLog(SessionWriter.class);

	private final DeliverySettings settings;

	private final NotificationJson json;

	private final NotifyStore store;

	private final Redelivery redelivery;

	private final WebSocketConnections connections;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	private final PreparedOutboundChannel outbound;

	private final AtomicBoolean epochRead = new AtomicBoolean();

	// the store's epoch as last read, stamped on stored messages; read off the
	// transport thread, on replays
	private volatile String epoch;

	SessionWriter(DeliverySettings settings, NotificationJson json, NotifyStore store, Redelivery redelivery,
			WebSocketConnections connections, NotifyMetrics metrics, DroppedMessages drops,
			PreparedOutboundChannel outbound) {
		this.settings = settings;
		this.json = json;
		this.store = store;
		this.redelivery = redelivery;
		this.connections = connections;
		this.metrics = metrics;
		this.drops = drops;
		this.outbound = outbound;
	}

	/**
	 * Create the outbox of a new session: its messages go to the prepared outbound
	 * channel, and a few of them to its connection before the earlier ones are written
	 * (as many as the connection has room for).
	 * @param sessionId the session
	 * @return the outbox
	 */
	SessionOutbox outboxFor(String sessionId) {
		return new SessionOutbox(this.outbound.channel(), this.outbound.callsBack(), this.settings.outboundQueueLimit(),
				this.settings.outboundQueueBytes(), this.drops, new OutboxConnection() {

					@Override
					public long accepted() {
						return SessionWriter.this.connections.accepted(sessionId);
					}

					@Override
					public void whenReadyForMore(long acceptedBefore, Runnable action) {
						SessionWriter.this.connections.whenReadyForMore(sessionId, acceptedBefore, action);
					}

				});
	}

	/**
	 * Read the store's epoch in the background, once, when a first session opens.
	 * @param executor runs the read off the transport thread
	 */
	void readEpochOnce(Executor executor) {
		if (this.store != null && this.epoch == null && this.epochRead.compareAndSet(false, true)) {
			executor.execute(this::refreshEpoch);
		}
	}

	/**
	 * Return the store epoch as last read.
	 * @return the epoch, or {@code null} before it was read
	 */
	String epoch() {
		return this.epoch;
	}

	void sendReset(LocalSession session, UserSubscription subscription, String current, long since, long last) {
		StringBuilder payload = new StringBuilder("{\"epoch\":");
		if (current != null) {
			NotificationJson.quoted(payload, current);
		}
		else {
			payload.append("null");
		}
		payload.append(",\"since\":0,\"previousSince\":")
			.append(since)
			.append(",\"lastSeq\":")
			.append(last)
			.append('}');
		Notification reset = new Notification(NotifyIds.next(), Frames.RESET_TYPE, payload.toString(), Instant.now(),
				null, session.user().id(), 0, null);
		byte[] body = this.json.body(reset);
		Frames.Address address = new Frames.Address(session.id(), subscription.id(), this.settings.userDestination());
		enqueue(session, Frames.message(address, reset, body, Frames.Marks.reset(current)), body.length,
				WhenFull.CLOSE);
	}

	// reads the store's epoch and keeps it for live messages
	String refreshEpoch() {
		try {
			String current = this.store.epoch();
			this.epoch = current;
			return current;
		}
		catch (RuntimeException ex) {
			logger.debug("Reading the store epoch failed: " + ex);
			throw ex;
		}
	}

	/**
	 * Write a live message: it carries no replay headers.
	 */
	void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body) {
		send(session, subscription, notification, body, Frames.Replayed.LIVE, Instant.now());
	}

	/**
	 * Write a live message, whose delivery to every session counts from the same time.
	 * @param now when live delivery took the message, the end of its latency
	 */
	void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body,
			Instant now) {
		send(session, subscription, notification, body, Frames.Replayed.LIVE, now);
	}

	void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body,
			Frames.Replayed replayed) {
		send(session, subscription, notification, body, replayed, Instant.now());
	}

	// never waits: live delivery hands over and goes on, a replay checks for room first
	private void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body,
			Frames.Replayed replayed, Instant now) {
		String ackToken = null;
		if (subscription.ackMode() != AckMode.AUTO && notification.isStored()) {
			ackToken = newAckToken();
			String dropped = subscription.remember(ackToken, notification);
			if (dropped != null && logger.isDebugEnabled()) {
				logger.debug("Session " + SessionLabels.of(session.id())
						+ " has too many unacknowledged messages; the oldest is left" + " for replay");
			}
			this.redelivery.track(notification);
		}
		Frames.Address address = new Frames.Address(session.id(), subscription.id(), this.settings.userDestination());
		Message<byte[]> message = Frames.message(address, notification, body,
				Frames.Marks.of(ackToken, replayed, notification.isStored() ? this.epoch : null));
		if (notification.isStored()) {
			subscription.sent(notification.seq());
		}
		if (enqueue(session, message, body.length,
				notification.isStored() ? WhenFull.CLOSE : WhenFull.DROP_IF_ALLOWED)) {
			this.metrics.messageDelivered((notification.sentAt() != null && notification.attempt() == 0)
					? Duration.between(notification.sentAt(), now) : null);
		}
	}

	// hands a message to the session's outbox; a full outbox drops what may be dropped
	// and otherwise closes the session as a slow consumer
	boolean enqueue(LocalSession session, Message<byte[]> message, int size, WhenFull whenFull) {
		SessionOutbox.Offer offer = session.outbox().offer(message, size, 0);
		if (offer == SessionOutbox.Offer.QUEUED) {
			return true;
		}
		if (offer == SessionOutbox.Offer.FULL) {
			if (whenFull == WhenFull.DROP_IF_ALLOWED && this.settings.dropWhenFull()) {
				this.drops.dropped("slow-consumer",
						() -> "a message for session " + SessionLabels.of(session.id()) + ": its outbox is full");
			}
			else {
				closeSlowConsumer(session);
			}
		}
		else {
			this.drops.dropped("session-closed",
					() -> "a message for session " + SessionLabels.of(session.id()) + ": it is closing");
		}
		return false;
	}

	// messages queued for a session that closes never reach it (stored ones are replayed)
	void forget(LocalSession session, int forgotten) {
		this.drops.dropped("session-closed", forgotten, () -> forgotten + " message(s) queued for session "
				+ SessionLabels.of(session.id()) + ", which closed");
	}

	void closeSlowConsumer(LocalSession session) {
		if (!session.markClosing()) {
			return;
		}
		int forgotten = session.outbox().close();
		this.drops.dropped("slow-consumer", forgotten, () -> forgotten + " message(s) queued for session "
				+ SessionLabels.of(session.id()) + ", closed as a slow consumer");
		logger.info("Closing STOMP session " + SessionLabels.of(session.id()) + " of user '" + session.user().id()
				+ "': it does not keep up with its messages (" + forgotten + " queued, left for its replay)");
		this.connections.closeSlowConsumer(session.id());
	}

	private static String newAckToken() {
		byte[] bytes = new byte[12];
		ThreadLocalRandom.current().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * What a full outbox means for a message.
	 */
	enum WhenFull {

		/**
		 * Dropped when the settings allow it, as a message that is not stored may be;
		 * otherwise the session is closed as a slow consumer.
		 */
		DROP_IF_ALLOWED,

		/**
		 * The session is closed as a slow consumer: the message must reach it, if only by
		 * a replay.
		 */
		CLOSE

	}

}
