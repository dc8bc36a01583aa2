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

package io.github.notifystomp.guard.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.LogText;
import io.github.notifystomp.transport.internal.RefusedFrameException;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Per-session limits on what a client may send: number and length of headers,
 * subscriptions held at once (one per id and one per destination), and SEND frames per
 * second. A session that breaks one gets an ERROR frame and is closed; no other session
 * is affected.
 */
public class FrameLimits implements ChannelInterceptor {

	static final String SUBSCRIPTION_ID_IN_USE = "Subscription id already in use";

	static final String ALREADY_SUBSCRIBED = "Already subscribed to ";

	private static final Log logger = LogFactory.getLog(FrameLimits.class);

	private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();

	private final Settings settings;

	private final NotifyMetrics metrics;

	/**
	 * Create the limits.
	 * @param settings the limits
	 * @param metrics records refused frames
	 */
	public FrameLimits(Settings settings, NotifyMetrics metrics) {
		this.settings = settings;
		this.metrics = metrics;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null || accessor.getSessionId() == null) {
			return message;
		}
		StompCommand command = accessor.getCommand();
		String sessionId = accessor.getSessionId();
		if (command == StompCommand.DISCONNECT) {
			this.sessions.remove(sessionId);
			return message;
		}
		checkHeaders(accessor);
		if (command == StompCommand.SUBSCRIBE) {
			checkSubscribe(accessor, state(sessionId));
		}
		else if (command == StompCommand.UNSUBSCRIBE && accessor.getSubscriptionId() != null) {
			state(sessionId).unsubscribe(accessor.getSubscriptionId());
		}
		else if (command == StompCommand.SEND && !state(sessionId).trySend(this.settings)) {
			throw refuse(accessor, "Sending too fast", "send-rate",
					"more than " + this.settings.sendRate() + " SEND frames per second");
		}
		return message;
	}

	@Override
	public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, Exception ex) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor != null && accessor.getSessionId() != null && accessor.getCommand() == StompCommand.CONNECT
				&& (!sent || ex != null)) {
			this.sessions.remove(accessor.getSessionId());
		}
	}

	/**
	 * Return the number of sessions whose state is tracked, for tests and diagnostics.
	 * @return the count
	 */
	public int trackedSessions() {
		return this.sessions.size();
	}

	// one subscription per id and per destination: a second subscription to the same
	// destination would have every message written to the session once more, and a
	// reused id would replace a subscription without counting against the limit
	private void checkSubscribe(StompHeaderAccessor accessor, SessionState state) {
		String id = accessor.getSubscriptionId();
		if (id == null) {
			return;
		}
		synchronized (state) {
			Map<String, String> subscriptions = state.subscriptions;
			if (subscriptions.containsKey(id)) {
				throw refuse(accessor, SUBSCRIPTION_ID_IN_USE, "subscription-id-in-use",
						"subscription id '" + LogText.of(id) + "' is already in use");
			}
			String destination = accessor.getDestination();
			if (destination != null && subscriptions.containsValue(destination)) {
				throw refuse(accessor, ALREADY_SUBSCRIBED + LogText.of(destination), "duplicate-subscription",
						"second subscription to '" + LogText.of(destination) + "'");
			}
			if (subscriptions.size() >= this.settings.maxSubscriptionsPerSession()) {
				throw refuse(accessor, "Too many subscriptions", "subscriptions",
						"more than " + this.settings.maxSubscriptionsPerSession() + " subscriptions");
			}
			state.subscribe(id, (destination != null) ? destination : "");
		}
	}

	private void checkHeaders(StompHeaderAccessor accessor) {
		Map<String, List<String>> headers = accessor.toNativeHeaderMap();
		int count = 0;
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			count += header.getValue().size();
			for (String value : header.getValue()) {
				if (value != null && value.length() > this.settings.maxHeaderLength()) {
					throw refuse(accessor, "Header too long", "header-length",
							"header '" + LogText.of(header.getKey()) + "' of " + value.length() + " characters");
				}
			}
		}
		if (count > this.settings.maxHeaders()) {
			throw refuse(accessor, "Too many headers", "header-count", count + " headers");
		}
	}

	private SessionState state(String sessionId) {
		return this.sessions.computeIfAbsent(sessionId, (key) -> new SessionState(this.settings.sendBurst()));
	}

	private RefusedFrameException refuse(StompHeaderAccessor accessor, String clientText, String reason,
			String detail) {
		this.metrics.frameRefused(reason);
		logger.warn("Refused STOMP " + accessor.getCommand() + " in session "
				+ SessionLabels.of(accessor.getSessionId()) + " of user '"
				+ LogText.of((accessor.getUser() != null) ? accessor.getUser().getName() : null) + "': " + detail);
		return new RefusedFrameException(clientText, detail);
	}

	/**
	 * The limits.
	 *
	 * @param maxHeaders most headers per frame
	 * @param maxHeaderLength longest header value
	 * @param maxSubscriptionsPerSession most subscriptions per session
	 * @param sendRate SEND frames per second per session, on average
	 * @param sendBurst SEND frames per session in a burst
	 */
	public record Settings(int maxHeaders, int maxHeaderLength, int maxSubscriptionsPerSession, int sendRate,
			int sendBurst) {

	}

	private static final class SessionState {

		// subscription id to destination: immutable, replaced under this state's lock, as
		// a session holds a few for its lifetime (a concurrent map would cost some two
		// hundred bytes on every idle connection)
		private Map<String, String> subscriptions = Map.of();

		private double tokens;

		private long refilledAt = System.nanoTime();

		SessionState(int burst) {
			this.tokens = burst;
		}

		synchronized void subscribe(String id, String destination) {
			Map<String, String> more = new HashMap<>(this.subscriptions);
			more.put(id, destination);
			this.subscriptions = Map.copyOf(more);
		}

		synchronized void unsubscribe(String id) {
			if (this.subscriptions.containsKey(id)) {
				Map<String, String> fewer = new HashMap<>(this.subscriptions);
				fewer.remove(id);
				this.subscriptions = Map.copyOf(fewer);
			}
		}

		// a token bucket: sendBurst tokens, refilled at sendRate per second
		synchronized boolean trySend(Settings settings) {
			long now = System.nanoTime();
			this.tokens = Math.min(settings.sendBurst(),
					this.tokens + (now - this.refilledAt) * settings.sendRate() / 1_000_000_000.0);
			this.refilledAt = now;
			if (this.tokens < 1) {
				return false;
			}
			this.tokens--;
			return true;
		}

	}

}
