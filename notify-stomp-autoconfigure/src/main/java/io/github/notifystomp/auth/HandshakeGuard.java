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

package io.github.notifystomp.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Checks the WebSocket handshake: refuses a token in the URL query (it would end up in
 * access logs and proxies; send it in the CONNECT frame), and records the client address
 * (as the application sees it, after {@code server.forward-headers-strategy}) for later
 * checks and log lines. A handshake is never refused for the address's refused CONNECTs:
 * that would lock out every user behind a shared address.
 */
public class HandshakeGuard implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(HandshakeGuard.class);

	private static final Set<String> TOKEN_PARAMETERS = Set.of("access_token", "token", "authorization", "auth", "jwt",
			"bearer");

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
		if (address != null) {
			attributes.put(TokenAuthenticationInterceptor.REMOTE_ADDRESS_ATTRIBUTE, address);
		}
		return true;
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
