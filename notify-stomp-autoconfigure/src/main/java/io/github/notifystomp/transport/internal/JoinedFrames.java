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

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Whole text messages waiting for one connection, written together as one WebSocket
 * message: STOMP allows several frames, each ending with NUL, in one message.
 */
final class JoinedFrames {

	private JoinedFrames() {
	}

	/**
	 * Return the whole text messages at the head of a queue that fit in one write
	 * together.
	 * @param queue the messages waiting, the head first
	 * @param limit the most payload bytes written together, {@code 0} for none
	 * @return the messages, or {@code null} when the head goes on its own
	 */
	static TextMessage[] atHead(Collection<WebSocketMessage<?>> queue, int limit) {
		if (limit <= 0 || queue.size() < 2) {
			return null;
		}
		List<TextMessage> run = null;
		long size = 0;
		for (WebSocketMessage<?> message : queue) {
			if (!(message instanceof TextMessage text) || !text.isLast()) {
				break;
			}
			size += text.getPayloadLength();
			if (size > limit) {
				break;
			}
			if (run == null) {
				run = new ArrayList<>();
			}
			run.add(text);
		}
		return (run != null && run.size() > 1) ? run.toArray(new TextMessage[0]) : null;
	}

	/**
	 * Join messages into the text of one: each STOMP frame ends with NUL, so the frames
	 * follow each other as they are.
	 * @param messages the messages
	 * @return the text
	 */
	static String join(TextMessage[] messages) {
		int length = 0;
		for (TextMessage message : messages) {
			length += message.getPayload().length();
		}
		StringBuilder text = new StringBuilder(length);
		for (TextMessage message : messages) {
			text.append(message.getPayload());
		}
		return text.toString();
	}

}
