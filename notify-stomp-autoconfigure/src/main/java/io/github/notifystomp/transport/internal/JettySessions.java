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

import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * What the starter does to a Jetty WebSocket session; any other session is left as it is.
 * A blocking write on Jetty has no bound of its own (Tomcat's has, see
 * {@link TomcatSessions}), and Jetty's close waits for the frames before it: to a client
 * that stopped reading, neither ever completes, and the connection would stay until
 * Jetty's idle timeout. The starter drops such a connection at once instead, through
 * {@code abort()} of Jetty's {@code jakarta.websocket} session ({@code disconnect()} of a
 * session of Jetty's own API), found by reflection as Jetty is optional.
 */
final class JettySessions {

	private static final Log logger = LogFactory.getLog(JettySessions.class);

	private JettySessions() {
	}

	/**
	 * Drop the connection of a Jetty session without a close handshake.
	 * @param session the session as the container handed it over
	 * @return whether the session is a Jetty one, now aborted
	 */
	static boolean abort(WebSocketSession session) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return false;
		}
		Object jetty = nativeSession.getNativeSession();
		if (jetty == null || !jetty.getClass().getName().startsWith("org.eclipse.jetty.")) {
			return false;
		}
		// Spring drives Jetty through Jetty's own API, whose session disconnects; its
		// jakarta.websocket session aborts
		Method abort = ReflectionUtils.findMethod(jetty.getClass(), "disconnect");
		if (abort == null) {
			abort = ReflectionUtils.findMethod(jetty.getClass(), "abort");
		}
		if (abort == null) {
			return false;
		}
		try {
			abort.invoke(jetty);
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not abort session " + SessionLabels.of(session.getId()), ex);
			return false;
		}
	}

}
