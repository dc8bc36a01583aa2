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

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Delivery of live messages to the sessions of this node: a user message to each
 * subscription of the user's sessions, a broadcast to each subscription of the broadcast
 * topic, and a client's ACK or NACK to the redelivery that waits for it. The body of a
 * message is written once for all the sessions it goes to.
 */
final class LiveDelivery {

	private static final Log logger = LogFactory.getLog(LiveDelivery.class);

	private final DeliverySettings settings;

	private final NotificationJson json;

	private final SessionWriter writer;

	private final Redelivery redelivery;

	private final DroppedMessages drops;

	private final Consumer<LocalSession> expire;

	LiveDelivery(DeliverySettings settings, NotificationJson json, SessionWriter writer, Redelivery redelivery,
			DroppedMessages drops, Consumer<LocalSession> expire) {
		this.settings = settings;
		this.json = json;
		this.writer = writer;
		this.redelivery = redelivery;
		this.drops = drops;
		this.expire = expire;
	}

	/**
	 * Deliver a user message to every subscription of the user's sessions.
	 * @param notification the message, addressed to a user
	 * @param userSessions the user's sessions on this node, or {@code null} if none
	 * @param draining whether the node shuts down: the message then waits in the store
	 * @return the number of sessions it was handed to (or held back for, during a replay)
	 */
	int toUser(Notification notification, Set<LocalSession> userSessions, boolean draining) {
		if (userSessions == null) {
			return 0;
		}
		if (draining) {
			if (!notification.isStored()) {
				this.drops.dropped("draining", () -> "message " + notification.id() + " for user "
						+ notification.userId() + ": this node shuts down");
			}
			return 0;
		}
		byte[][] body = new byte[1][];
		int reached = 0;
		boolean live = false;
		boolean subscribed = false;
		Instant now = Instant.now();
		for (LocalSession session : userSessions) {
			if (session.isClosing()) {
				continue;
			}
			if (session.isExpiredAt(now)) {
				this.expire.accept(session);
				continue;
			}
			live = true;
			boolean handed = false;
			for (UserSubscription subscription : session.subscriptions()) {
				subscribed = true;
				boolean offered = subscription.offer(notification, (next) -> {
					if (body[0] == null) {
						body[0] = this.json.body(next);
					}
					this.writer.send(session, subscription, next, body[0], now);
				});
				if (!offered) {
					this.drops.dropped("replay-overflow", subscription.takeOverflowDrops(),
							() -> "message " + notification.id() + " for session " + SessionLabels.of(session.id())
									+ ": more live messages than can be held back during its replay");
				}
				handed |= offered;
			}
			if (handed) {
				reached++;
			}
		}
		if (!live && !userSessions.isEmpty()) {
			this.drops.dropped("session-closed", () -> "message " + notification.id() + " for user "
					+ notification.userId() + ": its sessions here are closing");
		}
		else if (live && !subscribed) {
			// connected, but not (yet) subscribed to the user destination: a message
			// sent between CONNECT and SUBSCRIBE reaches no session here
			this.drops.dropped("not-subscribed",
					() -> "message " + notification.id() + " for user " + notification.userId()
							+ ": connected on this node but not subscribed to " + this.settings.userDestination()
							+ (notification.isStored() ? " (stored: replayed on SUBSCRIBE with notify-since)" : ""));
		}
		return reached;
	}

	/**
	 * Deliver a broadcast to every subscription of the broadcast topic.
	 * @param notification the broadcast
	 * @param sessions the sessions of this node
	 */
	void broadcast(Notification notification, Collection<LocalSession> sessions) {
		// the body and the headers all sessions share, made once
		Frames.Broadcast common = null;
		for (LocalSession session : sessions) {
			if (session.isClosing() || session.broadcastSubscriptions().isEmpty()) {
				continue;
			}
			if (common == null) {
				common = Frames.broadcast(notification, this.settings.broadcastDestination(),
						this.json.body(notification));
			}
			for (String subscriptionId : session.broadcastSubscriptions()) {
				this.writer.enqueue(session, Frames.forSession(common, session.id(), subscriptionId),
						common.body().length, SessionWriter.WhenFull.DROP_IF_ALLOWED);
			}
		}
	}

	/**
	 * Hand a client's ACK or NACK to redelivery.
	 * @param session the session that sent it, or {@code null} if it is not registered
	 * @param ackToken the {@code id} (or {@code message-id}) header of the frame
	 * @param positive {@code true} for ACK, {@code false} for NACK
	 * @return {@code true} if the token belonged to a message of this session
	 */
	boolean acknowledge(LocalSession session, String ackToken, boolean positive) {
		if (session == null || ackToken == null) {
			return false;
		}
		for (UserSubscription subscription : session.subscriptions()) {
			List<Notification> covered = subscription.take(ackToken);
			if (!covered.isEmpty()) {
				for (Notification notification : covered) {
					if (positive) {
						this.redelivery.acknowledged(notification);
					}
					else {
						this.redelivery.rejected(notification);
					}
				}
				return true;
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Ignored " + (positive ? "ACK" : "NACK") + " in session " + SessionLabels.of(session.id())
					+ " for a message that is not waiting for it");
		}
		return false;
	}

}
