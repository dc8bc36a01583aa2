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

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.AntPathMatcher;

import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.LogText;
import io.github.notifystomp.transport.internal.RefusedFrameException;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Decides what a connected client may do. It may SUBSCRIBE only to its own user
 * destination ({@code /user/queue/notify}), the broadcast topic and the configured extra
 * patterns, and SEND only under the application prefix ({@code /app/}). Everything else,
 * including raw broker queues, other users' destinations, encoded or dotted variants,
 * frames a client never sends (MESSAGE, transactions) and reserved headers, gets an ERROR
 * frame and delivers nothing.
 */
public class DestinationGuard implements ChannelInterceptor {

	/**
	 * The SUBSCRIBE header that asks for a replay after a sequence number.
	 */
	public static final String SINCE_HEADER = "notify-since";

	/**
	 * The SUBSCRIBE header that names the store epoch of the {@code notify-since}
	 * position.
	 */
	public static final String EPOCH_HEADER = "notify-epoch";

	private static final Log logger = LogFactory.getLog(DestinationGuard.class);

	private static final Set<StompCommand> CLIENT_COMMANDS = Set.of(StompCommand.CONNECT, StompCommand.STOMP,
			StompCommand.SUBSCRIBE, StompCommand.UNSUBSCRIBE, StompCommand.SEND, StompCommand.ACK, StompCommand.NACK,
			StompCommand.DISCONNECT);

	private static final AntPathMatcher matcher = new AntPathMatcher();

	private final String userDestination;

	private final String broadcastDestination;

	private final String applicationPrefix;

	private final List<String> extraSubscribePatterns;

	private final NotifyMetrics metrics;

	/**
	 * Create a guard.
	 * @param userDestination the user destination as clients subscribe to it, with the
	 * user prefix ({@code /user/queue/notify})
	 * @param broadcastDestination the broadcast topic
	 * @param applicationPrefix the prefix of destinations clients may SEND to
	 * ({@code /app})
	 * @param extraSubscribePatterns further Ant-style patterns clients may subscribe to
	 * @param metrics records refused frames
	 */
	public DestinationGuard(String userDestination, String broadcastDestination, String applicationPrefix,
			List<String> extraSubscribePatterns, NotifyMetrics metrics) {
		this.userDestination = userDestination;
		this.broadcastDestination = broadcastDestination;
		this.applicationPrefix = applicationPrefix.endsWith("/") ? applicationPrefix : applicationPrefix + "/";
		this.extraSubscribePatterns = List.copyOf(extraSubscribePatterns);
		this.metrics = metrics;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.isHeartbeat()) {
			return message;
		}
		StompCommand command = accessor.getCommand();
		if (command == null) {
			return message;
		}
		if (!CLIENT_COMMANDS.contains(command)) {
			throw refuse(accessor, "Frame not allowed: " + command, "client sent " + command);
		}
		if (command == StompCommand.SUBSCRIBE) {
			checkSubscribe(accessor);
		}
		else if (command == StompCommand.SEND) {
			checkSend(accessor);
		}
		return message;
	}

	private void checkSubscribe(StompHeaderAccessor accessor) {
		String destination = accessor.getDestination();
		if (accessor.getFirstNativeHeader("selector") != null) {
			throw refuse(accessor, "Selector header not supported", "SUBSCRIBE with a selector header");
		}
		if (destination == null) {
			throw refuse(accessor, "Missing destination", "SUBSCRIBE without destination");
		}
		String ack = accessor.getFirstNativeHeader("ack");
		if (ack != null && !ack.equals("auto") && !ack.equals("client") && !ack.equals("client-individual")) {
			throw refuse(accessor, "Invalid ack mode", "SUBSCRIBE with ack '" + LogText.of(ack) + "'");
		}
		if (destination.equals(this.userDestination)) {
			String since = accessor.getFirstNativeHeader(SINCE_HEADER);
			if (since != null && parseSince(since) == null) {
				throw refuse(accessor, "Invalid notify-since header, expected a non-negative integer",
						"SUBSCRIBE with notify-since '" + LogText.of(since) + "'");
			}
			String epoch = accessor.getFirstNativeHeader(EPOCH_HEADER);
			if (epoch != null && !epoch.matches("[A-Za-z0-9._-]{1,64}")) {
				throw refuse(accessor, "Invalid notify-epoch header, expected the notify-epoch of a message",
						"SUBSCRIBE with notify-epoch '" + LogText.of(epoch) + "'");
			}
			return;
		}
		if (destination.equals(this.broadcastDestination) || (isCanonical(destination) && matchesExtra(destination))) {
			return;
		}
		throw refuse(accessor, "Subscription not allowed: " + LogText.of(destination),
				"SUBSCRIBE to '" + LogText.of(destination) + "'");
	}

	private void checkSend(StompHeaderAccessor accessor) {
		String destination = accessor.getDestination();
		if (destination == null || !destination.startsWith(this.applicationPrefix) || !isCanonical(destination)) {
			throw refuse(accessor, "Send not allowed: " + LogText.of(destination),
					"SEND to '" + LogText.of(destination) + "'");
		}
		Map<String, List<String>> headers = accessor.toNativeHeaderMap();
		for (String name : headers.keySet()) {
			String lower = name.toLowerCase(java.util.Locale.ROOT);
			if (lower.startsWith("notify-") || lower.startsWith("simp") || lower.equals("originaldestination")
					|| lower.equals("selector")) {
				throw refuse(accessor, "Reserved header: " + LogText.of(name),
						"SEND with reserved header '" + LogText.of(name) + "'");
			}
		}
	}

	private boolean matchesExtra(String destination) {
		for (String pattern : this.extraSubscribePatterns) {
			if (matcher.match(pattern, destination)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Parse a {@code notify-since} header.
	 * @param value the header value
	 * @return the sequence number, or {@code null} if the value is not a non-negative
	 * integer
	 */
	public static Long parseSince(String value) {
		if (value == null || value.isEmpty() || value.length() > 19) {
			return null;
		}
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) < '0' || value.charAt(i) > '9') {
				return null;
			}
		}
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	// a destination that reads the same to every
	// matcher: no empty, dot or encoded segments
	static boolean isCanonical(String destination) {
		if (!destination.startsWith("/") || destination.endsWith("/") || destination.contains("//")
				|| destination.length() > 256) {
			return false;
		}
		for (int i = 0; i < destination.length(); i++) {
			char c = destination.charAt(i);
			if (c == '%' || c == '\\' || c == '*' || c == '?' || c == '{' || c == '}' || Character.isWhitespace(c)
					|| Character.isISOControl(c)) {
				return false;
			}
		}
		for (String segment : destination.substring(1).split("/")) {
			if (segment.equals(".") || segment.equals("..")) {
				return false;
			}
		}
		return true;
	}

	private RefusedFrameException refuse(StompHeaderAccessor accessor, String clientText, String detail) {
		this.metrics.frameRefused(accessor.getCommand().name().toLowerCase(java.util.Locale.ROOT));
		logger.warn("Refused STOMP frame in session " + SessionLabels.of(accessor.getSessionId()) + " of user '"
				+ LogText.of((accessor.getUser() != null) ? accessor.getUser().getName() : null) + "': "
				+ LogText.of(detail));
		return new RefusedFrameException(clientText, detail);
	}

}
