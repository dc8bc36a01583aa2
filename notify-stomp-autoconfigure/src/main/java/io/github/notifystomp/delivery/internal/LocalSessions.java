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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.MessageChannel;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;

import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.transport.internal.SessionLabels;
import io.github.notifystomp.transport.internal.WebSocketConnections;

/**
 * The STOMP sessions connected to this node, and delivery to them: user messages go to
 * each subscription of the user's sessions (with an {@code ack} header in the
 * acknowledging modes), broadcasts to each subscription of the broadcast topic
 * ({@link LiveDelivery}), stored messages a client missed to its new subscription
 * ({@link Replays}).
 * <p>
 * Each session has its own bounded outbox, so its messages leave in the order they were
 * handed over, a session that stops reading never holds up another or the sender, and it
 * never makes the node hold more than the outbox limits for it. A session whose outbox is
 * full is closed as a slow consumer (its stored messages wait for its replay), or, with
 * the drop policy, loses the messages that are not stored.
 */
public class LocalSessions {

	/**
	 * The ERROR text of a session closed because the application disconnected its user.
	 */
	public static final String DISCONNECT_TEXT = "Disconnected by the server";

	private static final Log logger = LogFactory.getLog(LocalSessions.class);

	private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();

	// immutable sets (see SmallSets)
	private final Map<String, Set<LocalSession>> sessionsByUser = new ConcurrentHashMap<>();

	private final DeliverySettings settings;

	private final PreparedOutboundChannel outbound;

	private final ExpiryTimers expiryTimers;

	private final NotifyStore store;

	private final Executor replayExecutor;

	private final WebSocketConnections connections;

	private final SessionWriter writer;

	private final Replays replays;

	private final LiveDelivery live;

	private volatile boolean draining;

	/**
	 * Create the registry.
	 * @param settings destinations and limits
	 * @param json writes message bodies
	 * @param outboundChannel the {@code clientOutboundChannel}, looked up on first use
	 * @param scheduler runs token-expiry timers
	 * @param store reads replays, or {@code null} without a store
	 * @param replayExecutor runs replays and catch-ups off the transport thread
	 * @param redelivery tracks messages waiting for an ACK
	 * @param connections closes connections with an ERROR frame
	 * @param metrics records deliveries, drops and slow consumers
	 */
	public LocalSessions(DeliverySettings settings, NotificationJson json, Supplier<MessageChannel> outboundChannel,
			TaskScheduler scheduler, NotifyStore store, Executor replayExecutor, Redelivery redelivery,
			WebSocketConnections connections, NotifyMetrics metrics) {
		this.settings = settings;
		this.outbound = new PreparedOutboundChannel(outboundChannel);
		this.store = store;
		this.replayExecutor = replayExecutor;
		this.connections = connections;
		DroppedMessages drops = new DroppedMessages(metrics);
		this.writer = new SessionWriter(settings, json, store, redelivery, connections, metrics, drops, this.outbound);
		this.replays = new Replays(this, this.writer, settings, json, store, scheduler, replayExecutor);
		this.live = new LiveDelivery(settings, json, this.writer, redelivery, drops, this::expire);
		this.expiryTimers = new ExpiryTimers(scheduler, this::expire);
	}

	/**
	 * Register a newly connected session and arm its token-expiry timer.
	 * @param sessionId the session id
	 * @param user the authenticated user
	 * @return the session
	 */
	public LocalSession open(String sessionId, NotifyUser user) {
		LocalSession session = new LocalSession(sessionId, user, Instant.now(), this.writer.outboxFor(sessionId));
		this.sessions.put(sessionId, session);
		this.sessionsByUser.compute(user.id(), (key, userSessions) -> SmallSets.with(userSessions, session));
		this.expiryTimers.opened(session, this.sessions.values());
		this.writer.readEpochOnce(this.replayExecutor);
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
		this.writer.forget(session, session.outbox().close());
		this.sessionsByUser.computeIfPresent(session.user().id(),
				(key, userSessions) -> SmallSets.without(userSessions, session));
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
		return (userSessions != null) ? userSessions : Set.of();
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
	 * Return the number of messages waiting in the outboxes of this node's sessions, the
	 * ones being written included.
	 * @return the count
	 */
	public int pendingOutbound() {
		int pending = 0;
		for (LocalSession session : this.sessions.values()) {
			pending += session.pendingMessages();
		}
		return pending;
	}

	/**
	 * Start a subscription to the user destination; with {@code since}, first replay the
	 * stored messages after that sequence number, then go live without a gap or a
	 * duplicate between the two. A position the store cannot have handed out (of another
	 * epoch, or beyond the user's last sequence number) is answered with a
	 * {@code notify.reset} message, then a replay of every stored message of the user,
	 * then live messages: never with silence.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param ackMode the ack mode
	 * @param since the last sequence number the client has, or {@code null} for no replay
	 * @param epoch the store epoch of that position, or {@code null} if the client did
	 * not say
	 */
	public void subscribe(String sessionId, String subscriptionId, AckMode ackMode, Long since, String epoch) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || subscriptionId == null) {
			return;
		}
		boolean replay = since != null && this.store != null;
		UserSubscription subscription = new UserSubscription(subscriptionId, ackMode, replay ? since : null,
				this.settings.maxUnackedPerSubscription());
		session.addSubscription(subscription);
		if (replay) {
			this.replays.replay(session, subscription, since, epoch);
		}
	}

	/**
	 * Start a subscription to the broadcast topic. Subscriptions to other destinations
	 * are left to the broker.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param destination the subscribed destination
	 */
	public void subscribeBroadcast(String sessionId, String subscriptionId, String destination) {
		LocalSession session = this.sessions.get(sessionId);
		if (session != null && subscriptionId != null && this.settings.broadcastDestination().equals(destination)) {
			session.addBroadcastSubscription(subscriptionId);
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
		return this.live.toUser(notification, this.sessionsByUser.get(notification.userId()), this.draining);
	}

	/**
	 * Deliver a broadcast to every subscription of the broadcast topic on this node.
	 * @param notification the broadcast
	 */
	public void broadcast(Notification notification) {
		if (!this.draining) {
			this.live.broadcast(notification, this.sessions.values());
		}
	}

	/**
	 * Handle a client ACK or NACK.
	 * @param sessionId the session that sent it
	 * @param ackToken the {@code id} (or {@code message-id}) header of the frame
	 * @param positive {@code true} for ACK, {@code false} for NACK
	 * @return {@code true} if the token belonged to a message of this session
	 */
	public boolean acknowledge(String sessionId, String ackToken, boolean positive) {
		return this.live.acknowledge(this.sessions.get(sessionId), ackToken, positive);
	}

	/**
	 * Close a session with an ERROR frame that carries the given text.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 */
	public void close(String sessionId, String text) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || session.markClosing()) {
			if (session != null) {
				this.writer.forget(session, session.outbox().close());
			}
			this.connections.closeWithError(sessionId, text, CloseStatus.POLICY_VIOLATION);
		}
	}

	/**
	 * Close one session of a user on this node, if it is still open and is the user's.
	 * @param userId the user
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 * @return whether the session was found and closed
	 */
	public boolean closeSessionOf(String userId, String sessionId, String text) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || !session.user().id().equals(userId)) {
			return false;
		}
		close(sessionId, text);
		return true;
	}

	/**
	 * Close every session of a user on this node that connected before a time, as a node
	 * does that learns of a disconnect it missed.
	 * @param userId the user
	 * @param before sessions that connected before this instant are closed
	 * @param text the {@code message} header of the ERROR frames
	 * @return the number of sessions closed
	 */
	public int closeUserConnectedBefore(String userId, Instant before, String text) {
		int closed = 0;
		for (LocalSession session : sessionsOf(userId)) {
			if (session.connectedAt().isBefore(before)) {
				close(session.id(), text);
				closed++;
			}
		}
		return closed;
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
	 * Stop taking new sessions and new messages, as the node shuts down: messages stay in
	 * the store for the replay of the clients' next sessions, and the ones already in the
	 * outboxes are still written.
	 */
	public void startDraining() {
		this.draining = true;
	}

	/**
	 * Whether the node is shutting down and takes no new sessions.
	 * @return {@code true} while draining
	 */
	public boolean isDraining() {
		return this.draining;
	}

	/**
	 * Close every session, without waiting, with an ERROR frame that tells the client to
	 * reconnect (to another node) and close status 1012 (service restart).
	 * @param text the {@code message} header of the ERROR frames
	 * @param headers further headers of each ERROR frame, asked once per session
	 * @return futures that complete when each connection is closed
	 */
	public List<CompletableFuture<Boolean>> closeAllForRestart(String text, Supplier<Map<String, String>> headers) {
		List<CompletableFuture<Boolean>> closed = new ArrayList<>();
		for (LocalSession session : this.sessions.values()) {
			session.markClosing();
			this.writer.forget(session, session.outbox().close());
			closed.add(this.connections.closeWithErrorAsync(session.id(), text, CloseStatus.SERVICE_RESTARTED,
					headers.get()));
		}
		return closed;
	}

	/**
	 * Whether the session's token has expired; if so, close it.
	 * @param sessionId the session
	 * @return {@code true} if the session must not get messages any more
	 */
	public boolean isExpired(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		boolean expired = session != null && session.isExpiredAt(Instant.now());
		if (expired) {
			expire(session);
		}
		return expired;
	}

	/**
	 * Catch every subscription that knows its position up with the stored messages after
	 * it, because this node may have missed relays: its link to Redis dropped, or a node
	 * died between storing a message and relaying it. Runs in the background, page by
	 * page on each session's replay lane, with the same hold-back as a replay, so that
	 * live and caught-up messages have no gap between them; live messages wait for one
	 * page at most, and the server goes on with the next page by itself. Requests that
	 * come while a catch-up runs lead to one more run after it.
	 * @param reason why, for the log
	 */
	public void catchUp(String reason) {
		this.replays.catchUp(reason);
	}

	private void expire(LocalSession session) {
		if (!session.isClosing()) {
			logger.info("Closing STOMP session " + SessionLabels.of(session.id()) + ": token expired");
			close(session.id(), "Token expired");
		}
	}

	// for the catch-up, which walks every session
	List<LocalSession> all() {
		return List.copyOf(this.sessions.values());
	}

	/**
	 * Prepare the {@code clientOutboundChannel} for ordered per-session delivery. Call it
	 * once the channel exists and before the first client connects: preparing it adds an
	 * interceptor, which must not happen while other threads send on the channel.
	 * Preparing it again does nothing.
	 */
	public void prepareOutboundChannel() {
		this.outbound.channel();
	}

}
