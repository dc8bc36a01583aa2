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

package io.github.notifystomp.delivery.internal;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;

/**
 * Stops every MESSAGE, including broker broadcasts, to a session whose token has expired,
 * and closes that session, so that nothing reaches a client after its token's expiry even
 * if the client sends nothing.
 */
public class OutboundGuard implements ChannelInterceptor {

	private final LocalSessions sessions;

	/**
	 * Create a guard.
	 * @param sessions this node's sessions
	 */
	public OutboundGuard(LocalSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) != SimpMessageType.MESSAGE) {
			return message;
		}
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		return (sessionId != null && this.sessions.isExpired(sessionId)) ? null : message;
	}

}
