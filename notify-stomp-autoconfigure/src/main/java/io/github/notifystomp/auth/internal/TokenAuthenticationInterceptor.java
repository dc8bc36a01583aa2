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

package io.github.notifystomp.auth.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.UserIds;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.ConnectTokenProtection;
import io.github.notifystomp.transport.internal.LogText;
import io.github.notifystomp.transport.internal.RefusedFrameException;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Authenticates each STOMP CONNECT by the bearer token in its {@code Authorization}
 * header: the {@link TokenResolver} turns the token into the session's user, and the
 * header is removed so the token goes no further (not into logs, not into events).
 * <p>
 * A CONNECT without the header, with a malformed value, or with a token the resolver
 * rejects gets an ERROR frame with a fixed text and the connection closes; the server
 * logs one WARN line, never the token.
 */
public class TokenAuthenticationInterceptor implements ChannelInterceptor {

	/**
	 * The session attribute that holds the client's remote address.
	 */
	public static final String REMOTE_ADDRESS_ATTRIBUTE = "notify.stomp.remoteAddress";

	static final String MISSING = "Missing %s header";

	static final String MALFORMED = "Malformed %s header, expected 'Bearer <token>'";

	static final String INVALID_TOKEN = "Invalid token";

	static final String TOKEN_EXPIRED = "Token expired";

	static final String INVALID_USER_ID = "Invalid user id";

	static final String ACCESS_REVOKED = "Access revoked";

	private static final Log logger = LogFactory.getLog(TokenAuthenticationInterceptor.class);

	// RFC 6750 b64token
	private static final Pattern BEARER = Pattern.compile("(?i:bearer) +([A-Za-z0-9\\-._~+/]+=*)");

	private final TokenResolver tokenResolver;

	private final String headerName;

	private final int maxTokenLength;

	private final NotifyMetrics metrics;

	private final ConnectThrottle throttle;

	private final UserBlocks blocks;

	/**
	 * Create an interceptor.
	 * @param tokenResolver resolves tokens to users
	 * @param headerName the CONNECT header that carries {@code Bearer <token>}
	 * @param maxTokenLength the longest token accepted
	 * @param metrics records refused CONNECTs
	 * @param throttle counts refused CONNECTs per address
	 * @param blocks the users whose CONNECTs are refused for a while
	 */
	public TokenAuthenticationInterceptor(TokenResolver tokenResolver, String headerName, int maxTokenLength,
			NotifyMetrics metrics, ConnectThrottle throttle, UserBlocks blocks) {
		this.tokenResolver = tokenResolver;
		this.headerName = headerName;
		this.maxTokenLength = maxTokenLength;
		this.metrics = metrics;
		this.throttle = throttle;
		this.blocks = blocks;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null
				|| (accessor.getCommand() != StompCommand.CONNECT && accessor.getCommand() != StompCommand.STOMP)) {
			return message;
		}
		if (!accessor.isMutable()) {
			accessor = StompHeaderAccessor.wrap(message);
			message = MessageBuilder.createMessage(message.getPayload(), accessor.getMessageHeaders());
		}
		List<String> values = ConnectTokenProtection.take(accessor, this.headerName);
		NotifyUser user = authenticate(accessor, values);
		accessor.setUser(SessionPrincipals.toPrincipal(user));
		if (logger.isDebugEnabled()) {
			logger.debug("Authenticated STOMP session " + SessionLabels.of(accessor.getSessionId()) + " as user '"
					+ LogText.of(user.id()) + "'");
		}
		return message;
	}

	private NotifyUser authenticate(StompHeaderAccessor accessor, List<String> values) {
		if (values == null || values.isEmpty()) {
			throw refuse(accessor, String.format(MISSING, this.headerName), "no " + this.headerName + " header");
		}
		String value = values.get(0);
		if (value.length() > this.maxTokenLength + 32) {
			throw refuse(accessor, String.format(MALFORMED, this.headerName),
					"header of " + value.length() + " characters is longer than the limit");
		}
		java.util.regex.Matcher matcher = BEARER.matcher(value);
		if (!matcher.matches()) {
			throw refuse(accessor, String.format(MALFORMED, this.headerName), "not a Bearer token");
		}
		String token = matcher.group(1);
		String fingerprint = ConnectThrottle.fingerprint(token);
		if (this.throttle.isRepeatedlyRefused(fingerprint)) {
			throw refuse(accessor, INVALID_TOKEN, fingerprint,
					"token refused " + ConnectThrottle.TOKEN_REPEATS + " times already, not resolved again");
		}
		NotifyUser user;
		try {
			user = this.tokenResolver.resolve(token);
		}
		catch (InvalidTokenException ex) {
			throw refuse(accessor, ex.isExpired() ? TOKEN_EXPIRED : INVALID_TOKEN, fingerprint, ex.getMessage());
		}
		catch (RuntimeException ex) {
			// the exception's text may quote the token: log its class only
			throw refuse(accessor, INVALID_TOKEN, fingerprint, "token resolver failed with " + ex.getClass().getName());
		}
		if (user == null) {
			throw refuse(accessor, INVALID_TOKEN, fingerprint, "token resolver returned no user");
		}
		if (user.isExpiredAt(Instant.now())) {
			throw refuse(accessor, TOKEN_EXPIRED, fingerprint, "token expired at " + user.expiresAt());
		}
		if (!UserIds.isValid(user.id())) {
			throw refuse(accessor, INVALID_USER_ID, fingerprint,
					"user id '" + LogText.of(user.id()) + "' could form a destination");
		}
		Instant refusedUntil = this.blocks.refusedUntil(user.id());
		if (refusedUntil != null) {
			// a valid token of a revoked user: nothing for the failure throttle to count
			this.metrics.connectRefused("access-revoked");
			logger.warn("Refused STOMP CONNECT in session " + SessionLabels.of(accessor.getSessionId()) + " of user '"
					+ LogText.of(user.id()) + "': " + ACCESS_REVOKED + " (until " + refusedUntil + ")");
			throw new RefusedFrameException(ACCESS_REVOKED, "user's CONNECTs refused until " + refusedUntil);
		}
		return user;
	}

	private RefusedFrameException refuse(StompHeaderAccessor accessor, String clientText, String detail) {
		return refuse(accessor, clientText, null, detail);
	}

	private RefusedFrameException refuse(StompHeaderAccessor accessor, String clientText, String tokenFingerprint,
			String detail) {
		this.metrics.connectRefused(reason(clientText));
		Object remote = remoteAddress(accessor);
		String address = (remote != null) ? remote.toString() : null;
		this.throttle.recordFailure(address, tokenFingerprint);
		logger.warn("Refused STOMP CONNECT in session " + SessionLabels.of(accessor.getSessionId()) + " from "
				+ LogText.of(address) + ": " + clientText + " (" + LogText.of(detail) + ")");
		if (this.throttle.reachedLimit(address)) {
			logger.warn("Many refused STOMP CONNECTs from " + LogText.of(address) + " (notify.stomp.auth"
					+ ".failure-throttle.max-failures within the window); valid tokens from it still connect. Behind a"
					+ " proxy, set server.forward-headers-strategy so that this is the client's address.");
		}
		return new RefusedFrameException(clientText, detail);
	}

	private static String reason(String clientText) {
		if (clientText.startsWith("Missing")) {
			return "missing-header";
		}
		if (clientText.startsWith("Malformed")) {
			return "malformed-header";
		}
		return switch (clientText) {
			case TOKEN_EXPIRED -> "token-expired";
			case INVALID_USER_ID -> "invalid-user-id";
			default -> "invalid-token";
		};
	}

	static Object remoteAddress(StompHeaderAccessor accessor) {
		Map<String, Object> attributes = accessor.getSessionAttributes();
		return (attributes != null) ? attributes.get(REMOTE_ADDRESS_ATTRIBUTE) : null;
	}

}
