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
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Tomcat's bound on one blocking write to a client (20s by default), set per session
 * through {@code jakarta.websocket}, which is optional on the starter's class path, hence
 * the reflection.
 */
final class TomcatSendTimeout {

	private static final Log logger = LogFactory.getLog(TomcatSendTimeout.class);

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private TomcatSendTimeout() {
	}

	/**
	 * Bound the blocking writes of a Tomcat session; any other session is left as it is.
	 * @param session the session, a native one to take effect
	 * @param millis the longest time one write may block
	 */
	static void limit(WebSocketSession session, long millis) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return;
		}
		Object standard = nativeSession.getNativeSession();
		if (standard == null) {
			return;
		}
		// jakarta.websocket.Session, which is optional on the starter's class path
		Method getUserProperties = ReflectionUtils.findMethod(standard.getClass(), "getUserProperties");
		if (getUserProperties != null && standard.getClass().getName().startsWith("org.apache.tomcat.")) {
			try {
				Object properties = getUserProperties.invoke(standard);
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
	}

}
