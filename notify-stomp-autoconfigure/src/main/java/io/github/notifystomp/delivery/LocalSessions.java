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

package io.github.notifystomp.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;

import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.auth.WebSocketConnections;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;

/**
 * The STOMP sessions connected to this node, and delivery to them: user messages go
 * straight to each subscription of the user's sessions (with an {@code ack} header in the
 * acknowledging modes), broadcasts go through the broker to the broadcast topic. Each
 * session has its own ordered channel, so its messages leave in the order they were
 * handed over and a slow session never holds up another.
 */
public class LocalSessions {

	private static final Log logger = LogFactory.getLog(LocalSessions.class);

	private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();

	private final Map<String, Set<LocalSession>> sessionsByUser = new ConcurrentHashMap<>();

	private final Settings settings;

	private final NotificationJson json;

	private final Supplier<MessageChannel> outboundChannel;

	private final Supplier<SimpMessageSendingOperations> brokerTemplate;

	private final TaskScheduler scheduler;

	private final NotifyStore store;

	private final Executor replayExecutor;

	private final Redelivery redelivery;

	private final WebSocketConnections connections;

	private final NotifyMetrics metrics;

	private volatile MessageChannel orderedOutboundChannel;

	/**
	 * Create the registry.
	 * @param settings destinations and limits
	 * @param json writes message bodies
	 * @param outboundChannel the {@code clientOutboundChannel}, looked up on first use
	 * @param brokerTemplate the broker's messaging template, looked up on first use
	 * @param scheduler runs token-expiry timers
	 * @param store reads replays, or {@code null} without a store
	 * @param replayExecutor runs replays off the transport thread
	 * @param redelivery tracks messages waiting for an ACK
	 * @param connections closes connections with an ERROR frame
	 * @param metrics records deliveries
	 */
	public LocalSessions(Settings settings, NotificationJson json, Supplier<MessageChannel> outboundChannel,
			Supplier<SimpMessageSendingOperations> brokerTemplate, TaskScheduler scheduler, NotifyStore store,
			Executor replayExecutor, Redelivery redelivery, WebSocketConnections connections, NotifyMetrics metrics) {
		this.settings = settings;
		this.json = json;
		this.outboundChannel = outboundChannel;
		this.brokerTemplate = brokerTemplate;
		this.scheduler = scheduler;
		this.store = store;
		this.replayExecutor = replayExecutor;
		this.redelivery = redelivery;
		this.connections = connections;
		this.metrics = metrics;
	}

	/**
	 * Register a newly connected session and arm its token-expiry timer.
	 * @param sessionId the session id
	 * @param user the authenticated user
	 * @return the session
	 */
	public LocalSession open(String sessionId, NotifyUser user) {
		LocalSession session = new LocalSession(sessionId, user, Instant.now(),
				new OrderedMessageChannelDecorator(outbound(), logger));
		this.sessions.put(sessionId, session);
		this.sessionsByUser.computeIfAbsent(user.id(), (key) -> ConcurrentHashMap.newKeySet()).add(session);
		if (user.expiresAt() != null) {
			session.expiry(this.scheduler.schedule(() -> expire(session), user.expiresAt()));
		}
		return session;
	}

	/**
	 * Forget a session that ended.
	 * @param sessionId the session id
	 * @return the session, or {@code null} if it was not registered
	 */
	public LocalSession remove(String sessionId) {
		LocalSession session = this.sessions.remove(sessionId);
		if (session == null) {
			return null;
		}
		session.markClosing();
		this.sessionsByUser.computeIfPresent(session.user().id(), (key, userSessions) -> {
			userSessions.remove(session);
			return userSessions.isEmpty() ? null : userSessions;
		});
		return session;
	}

	/**
	 * Return a session.
	 * @param sessionId the session id
	 * @return the session, or {@code null}
	 */
	public LocalSession get(String sessionId) {
		return this.sessions.get(sessionId);
	}

	/**
	 * Return the sessions of a user on this node.
	 * @param userId the user
	 * @return the sessions, empty if none
	 */
	public Set<LocalSession> sessionsOf(String userId) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(userId);
		return (userSessions != null) ? Set.copyOf(userSessions) : Set.of();
	}

	/**
	 * Return the users with at least one session on this node.
	 * @return the user ids
	 */
	public Set<String> userIds() {
		return Set.copyOf(this.sessionsByUser.keySet());
	}

	/**
	 * Return the number of distinct users connected to this node.
	 * @return the user count
	 */
	public int userCount() {
		return this.sessionsByUser.size();
	}

	/**
	 * Return the number of sessions connected to this node.
	 * @return the session count
	 */
	public int sessionCount() {
		return this.sessions.size();
	}

	/**
	 * Return the number of sessions of a user on this node.
	 * @param userId the user
	 * @return the session count
	 */
	public int sessionCount(String userId) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(userId);
		return (userSessions != null) ? userSessions.size() : 0;
	}

	/**
	 * Start a subscription to the user destination; with {@code since}, first replay the
	 * stored messages after that sequence number, then go live without a gap or a
	 * duplicate between the two.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param ackMode the ack mode
	 * @param since the last sequence number the client has, or {@code null} for no replay
	 */
	public void subscribe(String sessionId, String subscriptionId, AckMode ackMode, Long since) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || subscriptionId == null) {
			return;
		}
		boolean replay = since != null && this.store != null;
		UserSubscription subscription = new UserSubscription(subscriptionId, ackMode, replay,
				this.settings.maxUnackedPerSubscription());
		session.addSubscription(subscription);
		if (replay) {
			this.replayExecutor.execute(() -> replay(session, subscription, since));
		}
	}

	/**
	 * End a subscription.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 */
	public void unsubscribe(String sessionId, String subscriptionId) {
		LocalSession session = this.sessions.get(sessionId);
		if (session != null && subscriptionId != null) {
			session.removeSubscription(subscriptionId);
		}
	}

	/**
	 * Deliver a user message to every subscription of the user's sessions on this node.
	 * @param notification the message, addressed to a user
	 * @return the number of sessions it was handed to (or held back for, during a replay)
	 */
	public int deliver(Notification notification) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(notification.userId());
		if (userSessions == null) {
			return 0;
		}
		byte[][] body = new byte[1][];
		int reached = 0;
		Instant now = Instant.now();
		for (LocalSession session : userSessions) {
			if (session.isClosing()) {
				continue;
			}
			if (session.isExpiredAt(now)) {
				expire(session);
				continue;
			}
			boolean handed = false;
			for (UserSubscription subscription : session.subscriptions()) {
				handed |= subscription.offer(notification, (live) -> {
					if (body[0] == null) {
						body[0] = this.json.body(live);
					}
					send(session, subscription, live, body[0], false);
				});
			}
			if (handed) {
				reached++;
			}
		}
		return reached;
	}

	/**
	 * Deliver a broadcast to every subscriber of the broadcast topic on this node.
	 * @param notification the broadcast
	 */
	public void broadcast(Notification notification) {
		SimpMessageHeaderAccessor accessor = Frames.messageHeaders(notification);
		accessor.setLeaveMutable(true);
		Message<byte[]> message = MessageBuilder.createMessage(this.json.body(notification),
				accessor.getMessageHeaders());
		this.brokerTemplate.get().send(this.settings.broadcastDestination(), message);
	}

	/**
	 * Handle a client ACK or NACK.
	 * @param sessionId the session that sent it
	 * @param ackToken the {@code id} (or {@code message-id}) header of the frame
	 * @param positive {@code true} for ACK, {@code false} for NACK
	 * @return {@code true} if the token belonged to a message of this session
	 */
	public boolean acknowledge(String sessionId, String ackToken, boolean positive) {
		LocalSession session = this.sessions.get(sessionId);
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
			logger.debug("Ignored " + (positive ? "ACK" : "NACK") + " in session " + sessionId
					+ " for a message that is not waiting for it");
		}
		return false;
	}

	/**
	 * Close a session with an ERROR frame that carries the given text.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 */
	public void close(String sessionId, String text) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || session.markClosing()) {
			this.connections.closeWithError(sessionId, text, CloseStatus.POLICY_VIOLATION);
		}
	}

	/**
	 * Close every session of a user on this node.
	 * @param userId the user
	 * @param text the {@code message} header of the ERROR frames
	 * @return the number of sessions closed
	 */
	public int closeUser(String userId, String text) {
		Set<LocalSession> userSessions = sessionsOf(userId);
		userSessions.forEach((session) -> close(session.id(), text));
		return userSessions.size();
	}

	/**
	 * Close every session on this node.
	 * @param text the {@code message} header of the ERROR frames
	 */
	public void closeAll(String text) {
		this.sessions.keySet().forEach((sessionId) -> close(sessionId, text));
	}

	/**
	 * Whether the session's token has expired; if so, close it.
	 * @param sessionId the session
	 * @return {@code true} if the session must not get messages any more
	 */
	public boolean isExpired(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null) {
			return false;
		}
		if (session.isExpiredAt(Instant.now())) {
			expire(session);
			return true;
		}
		return false;
	}

	private void expire(LocalSession session) {
		if (!session.isClosing()) {
			logger.info("Closing STOMP session " + session.id() + ": token expired");
			close(session.id(), "Token expired");
		}
	}

	private void replay(LocalSession session, UserSubscription subscription, long since) {
		long upTo = since;
		boolean more = false;
		try {
			int limit = this.settings.replayLimit();
			List<StoredMessage> stored = this.store.findAfter(session.user().id(), since, limit + 1);
			more = stored.size() > limit;
			int count = Math.min(stored.size(), limit);
			for (int i = 0; i < count && isActive(session, subscription); i++) {
				Notification notification = Notification.of(stored.get(i));
				send(session, subscription, notification, this.json.body(notification), more && i == count - 1);
				upTo = notification.seq();
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Replayed " + count + " message(s) after seq " + since + " in session " + session.id()
						+ (more ? ", more pending" : ""));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Replay after seq " + since + " failed in session " + session.id() + ": " + ex);
			close(session.id(), "Replay failed, reconnect");
			return;
		}
		finally {
			boolean complete = subscription.endReplay(upTo, more,
					(held) -> send(session, subscription, held, this.json.body(held), false));
			if (!complete && isActive(session, subscription)) {
				logger.warn("Closing STOMP session " + session.id() + ": more than "
						+ this.settings.maxUnackedPerSubscription() + " live messages arrived during its replay");
				close(session.id(), "Too many messages during replay, subscribe again with notify-since");
			}
		}
	}

	private static boolean isActive(LocalSession session, UserSubscription subscription) {
		return !session.isClosing() && session.subscription(subscription.id()) == subscription;
	}

	private void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body,
			boolean replayMore) {
		String ackToken = null;
		if (subscription.ackMode() != AckMode.AUTO && notification.isStored()) {
			ackToken = newAckToken();
			String dropped = subscription.remember(ackToken, notification);
			if (dropped != null && logger.isDebugEnabled()) {
				logger.debug("Session " + session.id() + " has too many unacknowledged messages; the oldest is left"
						+ " for replay");
			}
			this.redelivery.track(notification);
		}
		session.channel()
			.send(Frames.message(session.id(), subscription.id(), this.settings.userDestination(), notification, body,
					ackToken, replayMore));
		this.metrics.messageDelivered((notification.sentAt() != null && notification.attempt() == 0)
				? Duration.between(notification.sentAt(), Instant.now()) : null);
	}

	private MessageChannel outbound() {
		MessageChannel channel = this.orderedOutboundChannel;
		if (channel == null) {
			channel = this.outboundChannel.get();
			OrderedMessageChannelDecorator.configureInterceptor(channel, true);
			this.orderedOutboundChannel = channel;
		}
		return channel;
	}

	private static String newAckToken() {
		byte[] bytes = new byte[12];
		ThreadLocalRandom.current().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Destinations and limits of local delivery.
	 *
	 * @param userDestination the destination clients subscribe to for their own messages,
	 * with the user prefix ({@code /user/queue/notify})
	 * @param broadcastDestination the broadcast topic
	 * @param replayLimit the most stored messages one replay sends
	 * @param maxUnackedPerSubscription the most messages a subscription may leave
	 * unacknowledged before the oldest are left for replay, and the most live messages
	 * held back while it replays
	 */
	public record Settings(String userDestination, String broadcastDestination, int replayLimit,
			int maxUnackedPerSubscription) {

	}

}
