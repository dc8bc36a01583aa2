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

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

import io.github.notifystomp.transport.internal.LogText;

/**
 * Checks the WebSocket handshake: refuses a token in the URL query (it would end up in
 * access logs and proxies; send it in the CONNECT frame), refuses an {@code Origin} that
 * is neither this server's nor allowed by {@code notify.stomp.allowed-origin-patterns}
 * (403, with one WARN per origin that names the property), answers a malformed
 * {@code Origin} with 403 and a short, rate-limited log line instead of a server error,
 * and records the client address (as the application sees it, after
 * {@code server.forward-headers-strategy}) for later checks and log lines. A handshake is
 * never refused for the address's refused CONNECTs: that would lock out every user behind
 * a shared address.
 */
public class HandshakeGuard implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(HandshakeGuard.class);

	private static final Set<String> TOKEN_PARAMETERS = Set.of("access_token", "token", "authorization", "auth", "jwt",
			"bearer");

	// distinct refused origins logged at WARN; beyond, at DEBUG, so that a flood of
	// made-up origins cannot grow the set or the log
	private static final int MAX_LOGGED_ORIGINS = 1000;

	private static final long MALFORMED_LOG_INTERVAL_NANOS = 60_000_000_000L;

	private final CorsConfiguration origins = new CorsConfiguration();

	private final Set<String> loggedOrigins = ConcurrentHashMap.newKeySet();

	private final AtomicLong lastMalformedLog = new AtomicLong(System.nanoTime() - MALFORMED_LOG_INTERVAL_NANOS);

	private final AtomicLong malformedSinceLog = new AtomicLong();

	/**
	 * Create a guard.
	 * @param allowedOriginPatterns the origin patterns allowed besides the server's own
	 * origin, as in {@code notify.stomp.allowed-origin-patterns}; empty for the same
	 * origin only
	 */
	public HandshakeGuard(List<String> allowedOriginPatterns) {
		// the check Spring's OriginHandshakeInterceptor makes after this one
		this.origins.setAllowedOrigins(List.of());
		if (!allowedOriginPatterns.isEmpty()) {
			this.origins.setAllowedOriginPatterns(allowedOriginPatterns);
		}
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String address = (request.getRemoteAddress() != null && request.getRemoteAddress().getAddress() != null)
				? request.getRemoteAddress().getAddress().getHostAddress() : null;
		String query = request.getURI().getRawQuery();
		if (query != null && hasTokenParameter(query)) {
			logger.warn("Refused WebSocket handshake from " + LogText.of(address)
					+ ": token in the URL query; send it in the STOMP CONNECT frame");
			response.setStatusCode(HttpStatus.BAD_REQUEST);
			return false;
		}
		if (!isOriginAllowed(request, address)) {
			response.setStatusCode(HttpStatus.FORBIDDEN);
			return false;
		}
		if (address != null) {
			attributes.put(TokenAuthenticationInterceptor.REMOTE_ADDRESS_ATTRIBUTE, address);
		}
		return true;
	}

	private boolean isOriginAllowed(ServerHttpRequest request, String address) {
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null) {
			return true;
		}
		boolean sameOrigin;
		try {
			sameOrigin = WebUtils.isSameOrigin(request);
		}
		catch (RuntimeException ex) {
			// Spring's own origin check throws on it (a 500 and a long stack trace per
			// request): refuse it here, with one short line now and then
			malformedOrigin(origin, address);
			return false;
		}
		if (sameOrigin || this.origins.checkOrigin(origin) != null) {
			return true;
		}
		if (this.loggedOrigins.size() < MAX_LOGGED_ORIGINS && this.loggedOrigins.add(origin)) {
			logger.warn("Refused WebSocket handshake from origin '" + LogText.of(origin)
					+ "' (403): it is not this server's origin and no pattern in"
					+ " notify.stomp.allowed-origin-patterns matches it. To allow it, add it there, for example"
					+ " notify.stomp.allowed-origin-patterns=" + LogText.of(origin) + " (logged once per origin)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Refused WebSocket handshake from origin '" + LogText.of(origin) + "' (403)");
		}
		return false;
	}

	private void malformedOrigin(String origin, String address) {
		long refused = this.malformedSinceLog.incrementAndGet();
		long last = this.lastMalformedLog.get();
		long now = System.nanoTime();
		if (now - last >= MALFORMED_LOG_INTERVAL_NANOS && this.lastMalformedLog.compareAndSet(last, now)) {
			this.malformedSinceLog.addAndGet(-refused);
			logger.warn("Refused " + refused + " WebSocket handshake(s) with a malformed Origin header (403) since"
					+ " the last such line (at most one a minute); the latest from " + LogText.of(address) + ": '"
					+ LogText.of(origin) + "'");
		}
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
	}

	// names are compared decoded, as a server reads them: access%5Ftoken is access_token
	static boolean hasTokenParameter(String query) {
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String raw = (equals >= 0) ? pair.substring(0, equals) : pair;
			String name;
			try {
				name = URLDecoder.decode(raw, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
			}
			catch (IllegalArgumentException ex) {
				// not a name anything reads, so not a token anything would take
				continue;
			}
			if (TOKEN_PARAMETERS.contains(name)) {
				return true;
			}
		}
		return false;
	}

}
