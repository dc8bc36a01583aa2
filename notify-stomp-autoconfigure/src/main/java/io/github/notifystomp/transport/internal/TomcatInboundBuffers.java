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

import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Tomcat's inbound buffers of one connection. Tomcat keeps a text and a binary message
 * buffer per WebSocket session, and Spring's STOMP support raises the text one to 16,640
 * characters (33 KB of heap per connection) so that a whole frame fits. The starter takes
 * messages in parts instead ({@link PartialMessages}), so the buffers can be as small as
 * the frames notification clients send. Only Tomcat sessions are changed: on other
 * containers the same Spring calls set a limit on the message size, not a buffer.
 */
final class TomcatInboundBuffers {

	private TomcatInboundBuffers() {
	}

	/**
	 * Size the inbound buffers of a Tomcat session; any other session is left as it is.
	 * @param session the session as the container handed it over
	 * @param size the buffer size, in characters for text and bytes for binary messages
	 * @return whether the session is a Tomcat one, now with buffers of that size
	 */
	static boolean size(WebSocketSession session, int size) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return false;
		}
		Object standard = nativeSession.getNativeSession();
		if (standard == null || !standard.getClass().getName().startsWith("org.apache.tomcat.")) {
			return false;
		}
		session.setTextMessageSizeLimit(size);
		session.setBinaryMessageSizeLimit(size);
		return true;
	}

}
