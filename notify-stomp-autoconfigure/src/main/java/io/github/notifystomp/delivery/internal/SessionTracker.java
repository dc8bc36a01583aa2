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
import java.util.Comparator;

import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.auth.internal.SessionPrincipals;
import io.github.notifystomp.delivery.ClusterRelay;
import io.github.notifystomp.guard.internal.DestinationGuard;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.transport.internal.RefusedFrameException;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Follows each session through its frames: registers it on CONNECT (beyond the per-user
 * session limit closing the user's oldest session or refusing the new one, and refusing
 * it while the node shuts down), starts and ends its user and broadcast subscriptions,
 * hands ACK and NACK frames to delivery, and forgets it on DISCONNECT or when the
 * connection ends.
 * <p>
 * Subscriptions start only after the frame passed every interceptor, so a SUBSCRIBE that
 * an application's own authorization rules refuse never receives anything.
 */
public class SessionTracker implements ChannelInterceptor {

	static final String TOO_MANY_SESSIONS = "Too many sessions for this user";

	static final String SHUTTING_DOWN = SessionDrain.SHUTTING_DOWN;

	/**
	 * The ERROR text of a session closed to make room for a newer one of its user.
	 */
	public static final String SESSION_REPLACED = "Session replaced: too many sessions for this user";

	private final LocalSessions sessions;

	private final PresenceRegistry presence;

	private final ClusterRelay relay;

	private final int maxSessionsPerUser;

	private final boolean closeOldest;

	private final String userDestination;

	private final NotifyMetrics metrics;

	private final SlowConsumerThrottle slowConsumers;

	/**
	 * Create a tracker.
	 * @param sessions this node's sessions
	 * @param presence counts sessions per user (cluster-wide in cluster mode)
	 * @param relay closes a replaced session on the node that holds it
	 * @param limit the per-user session limit and what a CONNECT beyond it does
	 * @param userDestination the user destination as clients subscribe to it
	 * @param metrics records accepted and refused CONNECTs
	 * @param slowConsumers refuses the CONNECTs of users whose sessions keep being closed
	 * as slow consumers
	 */
	public SessionTracker(LocalSessions sessions, PresenceRegistry presence, ClusterRelay relay, SessionLimit limit,
			String userDestination, NotifyMetrics metrics, SlowConsumerThrottle slowConsumers) {
		this.sessions = sessions;
		this.presence = presence;
		this.relay = relay;
		this.maxSessionsPerUser = limit.maxPerUser();
		this.closeOldest = limit.closeOldest();
		this.userDestination = userDestination;
		this.metrics = metrics;
		this.slowConsumers = slowConsumers;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor != null && isConnect(accessor.getCommand())) {
			NotifyUser user = SessionPrincipals.toUser(accessor.getUser());
			if (user == null) {
				throw new RefusedFrameException("Not authenticated", "CONNECT reached delivery without a user");
			}
			String sessionId = accessor.getSessionId();
			if (this.sessions.isDraining()) {
				this.metrics.connectRefused("shutting-down");
				throw new RefusedFrameException(SHUTTING_DOWN, "the node is shutting down");
			}
			Duration retryAfter = this.slowConsumers.retryAfter(user.id());
			if (retryAfter != null) {
				LogFactory.getLog(SessionTracker.class)
					.warn("Refused STOMP CONNECT in session " + SessionLabels.of(sessionId) + " of user '" + user.id()
							+ "': too many of its sessions were closed as slow consumers" + " (for "
							+ retryAfter.toSeconds() + "s more)");
				this.metrics.connectRefused("slow-consumer");
				throw new RefusedFrameException(SlowConsumerThrottle.TOO_MANY_SLOW_SESSIONS,
						"too many sessions closed as slow consumers");
			}
			if (!this.presence.add(user.id(), sessionId, this.maxSessionsPerUser) && !replaceOldest(user, sessionId)) {
				LogFactory.getLog(SessionTracker.class)
					.warn("Refused STOMP CONNECT in session " + SessionLabels.of(sessionId) + ": user already has "
							+ this.maxSessionsPerUser + " sessions");
				this.metrics.connectRefused("session-limit");
				throw new RefusedFrameException(TOO_MANY_SESSIONS, "session limit reached");
			}
			this.sessions.open(sessionId, user);
		}
		return message;
	}

	@Override
	public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, Exception ex) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null) {
			return;
		}
		String sessionId = accessor.getSessionId();
		boolean accepted = sent && ex == null;
		StompCommand command = accessor.getCommand();
		switch (command) {
			case CONNECT, STOMP -> {
				if (accepted) {
					this.metrics.connectAccepted();
				}
				else {
					end(sessionId);
				}
			}
			case SUBSCRIBE -> {
				if (accepted && this.userDestination.equals(accessor.getDestination())) {
					this.sessions.subscribe(sessionId, accessor.getSubscriptionId(),
							AckMode.fromHeader(accessor.getFirstNativeHeader("ack")),
							DestinationGuard.parseSince(accessor.getFirstNativeHeader(DestinationGuard.SINCE_HEADER)),
							accessor.getFirstNativeHeader(DestinationGuard.EPOCH_HEADER));
				}
				else if (accepted) {
					this.sessions.subscribeBroadcast(sessionId, accessor.getSubscriptionId(),
							accessor.getDestination());
				}
			}
			case UNSUBSCRIBE -> this.sessions.unsubscribe(sessionId, accessor.getSubscriptionId());
			case ACK, NACK -> {
				if (accepted) {
					String ackId = accessor.getFirstNativeHeader("id");
					if (ackId == null) {
						ackId = accessor.getFirstNativeHeader("message-id");
					}
					this.sessions.acknowledge(sessionId, ackId, command == StompCommand.ACK);
				}
			}
			case DISCONNECT -> end(sessionId);
			default -> {
			}
		}
	}

	// closes the user's longest-connected session to make room, as a user whose network
	// changed leaves sessions behind that have not timed out yet: anywhere in the
	// cluster when presence can tell, else on this node
	private boolean replaceOldest(NotifyUser user, String sessionId) {
		if (!this.closeOldest) {
			return false;
		}
		PresenceRegistry.Replaced replaced = this.presence.replaceOldest(user.id(), sessionId, this.maxSessionsPerUser);
		if (replaced == null) {
			return replaceOldestHere(user, sessionId);
		}
		LogFactory.getLog(SessionTracker.class)
			.info("Closing STOMP session " + SessionLabels.of(replaced.sessionId()) + " of user '" + user.id()
					+ "' on node " + replaced.nodeId() + ": replaced by session " + SessionLabels.of(sessionId)
					+ " at the session limit");
		if (replaced.onThisNode()) {
			this.sessions.close(replaced.sessionId(), SESSION_REPLACED);
			end(replaced.sessionId());
		}
		else {
			this.relay.closeReplacedSession(replaced.nodeId(), user.id(), replaced.sessionId());
		}
		return true;
	}

	private boolean replaceOldestHere(NotifyUser user, String sessionId) {
		LocalSession oldest = this.sessions.sessionsOf(user.id())
			.stream()
			.filter((session) -> !session.id().equals(sessionId))
			.min(Comparator.comparing(LocalSession::connectedAt))
			.orElse(null);
		if (oldest == null) {
			return false;
		}
		LogFactory.getLog(SessionTracker.class)
			.info("Closing STOMP session " + SessionLabels.of(oldest.id()) + " of user '" + user.id()
					+ "': replaced by session " + SessionLabels.of(sessionId) + " at the session limit");
		this.sessions.close(oldest.id(), SESSION_REPLACED);
		end(oldest.id());
		return this.presence.add(user.id(), sessionId, this.maxSessionsPerUser);
	}

	private void end(String sessionId) {
		LocalSession session = this.sessions.remove(sessionId);
		if (session != null) {
			this.presence.remove(session.user().id(), sessionId);
		}
	}

	private static boolean isConnect(StompCommand command) {
		return command == StompCommand.CONNECT || command == StompCommand.STOMP;
	}

	/**
	 * The per-user session limit.
	 *
	 * @param maxPerUser the most sessions a user may have (cluster-wide in cluster mode)
	 * @param closeOldest whether a CONNECT beyond the limit closes the user's
	 * longest-connected session, instead of being refused
	 */
	public record SessionLimit(int maxPerUser, boolean closeOldest) {

	}

}
