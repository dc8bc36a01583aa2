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
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * What the starter sets on a Tomcat WebSocket session; any other session is left as it
 * is.
 * <ul>
 * <li>Tomcat's bound on one blocking write to a client (20s by default), set through
 * {@code jakarta.websocket}, which is optional on the starter's class path, hence the
 * reflection.</li>
 * <li>Tomcat's inbound buffers. Tomcat keeps a text and a binary message buffer per
 * session, and Spring's STOMP support raises the text one to 16,640 characters (33 KB of
 * heap per connection) so that a whole frame fits. The starter takes messages in parts
 * instead ({@link PartialMessages}), so the buffers can be as small as the frames
 * notification clients send. On other containers the same Spring calls set a limit on the
 * message size, not a buffer, hence Tomcat only.</li>
 * </ul>
 */
final class TomcatSessions {

	private static final Log logger = LogFactory.getLog(TomcatSessions.class);

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private TomcatSessions() {
	}

	/**
	 * Bound the blocking writes of a Tomcat session by the send time limit the
	 * application asked for (Tomcat's own is 20s).
	 * @param session the session, a native one to take effect
	 * @param sendTimeLimit the longest time one write may block, {@code null} to keep
	 * Tomcat's
	 */
	static void limitBlockingWrites(WebSocketSession session, Duration sendTimeLimit) {
		if (sendTimeLimit != null) {
			limitBlockingWrites(session, sendTimeLimit.toMillis());
		}
	}

	/**
	 * Bound the blocking writes of a Tomcat session.
	 * @param session the session, a native one to take effect
	 * @param millis the longest time one write may block
	 */
	static void limitBlockingWrites(WebSocketSession session, long millis) {
		Object tomcat = nativeTomcatSession(session);
		// jakarta.websocket.Session, which is optional on the starter's class path
		Method getUserProperties = (tomcat != null) ? ReflectionUtils.findMethod(tomcat.getClass(), "getUserProperties")
				: null;
		if (getUserProperties == null) {
			return;
		}
		try {
			Object properties = getUserProperties.invoke(tomcat);
			if (properties instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				Map<String, Object> userProperties = (Map<String, Object>) map;
				userProperties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not limit blocking writes of session " + SessionLabels.of(session.getId()), ex);
		}
	}

	/**
	 * Size the inbound buffers of a Tomcat session.
	 * @param session the session as the container handed it over
	 * @param size the buffer size, in characters for text and bytes for binary messages
	 * @return whether the session is a Tomcat one, now with buffers of that size
	 */
	static boolean sizeInboundBuffers(WebSocketSession session, int size) {
		if (nativeTomcatSession(session) == null) {
			return false;
		}
		session.setTextMessageSizeLimit(size);
		session.setBinaryMessageSizeLimit(size);
		return true;
	}

	// Tomcat's own session behind a Spring one, or null for any other
	private static Object nativeTomcatSession(WebSocketSession session) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return null;
		}
		Object standard = nativeSession.getNativeSession();
		return (standard != null && standard.getClass().getName().startsWith("org.apache.tomcat.")) ? standard : null;
	}

}
