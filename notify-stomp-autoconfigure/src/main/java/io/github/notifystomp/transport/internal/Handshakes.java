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

package io.github.notifystomp.transport.internal;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * How the starter's endpoint upgrades a request to a WebSocket connection. On Jetty,
 * Spring upgrades through Jetty's own WebSocket API by default, whose sessions have no
 * {@code jakarta.websocket} asynchronous writes: a client that stops reading would then
 * hold a shared outbound thread, and the messages of every other client behind it, until
 * the send time limit. Jetty implements {@code jakarta.websocket} as well, so the starter
 * upgrades through it there, as Spring does on Tomcat, and every connection gets its
 * {@link AsyncWriter}.
 */
public final class Handshakes {

	private static final boolean JAKARTA_WEBSOCKET_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			Handshakes.class.getClassLoader());

	private Handshakes() {
	}

	/**
	 * Return the handshake handler of the endpoint: Spring's own, upgrading through
	 * {@code jakarta.websocket} where Spring would upgrade through Jetty's API.
	 * @return the handler, or {@code null} to keep Spring's default as it is
	 */
	public static HandshakeHandler handler() {
		if (!JAKARTA_WEBSOCKET_PRESENT) {
			return null;
		}
		RequestUpgradeStrategy springDefault;
		try {
			springDefault = new DefaultHandshakeHandler().getRequestUpgradeStrategy();
		}
		catch (RuntimeException ex) {
			// no container Spring knows: its default fails the same way at the first
			// handshake, and says why
			return null;
		}
		if (!springDefault.getClass().getSimpleName().startsWith("Jetty")) {
			return null;
		}
		return new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy());
	}

}
