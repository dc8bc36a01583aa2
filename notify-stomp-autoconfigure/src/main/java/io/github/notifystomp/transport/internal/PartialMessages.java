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

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Puts a client's WebSocket message back together when the container hands it over in
 * parts. The container's buffer per connection then stays small (a notification client
 * sends a few small frames), and only a message larger than that buffer takes more
 * memory, while it is in flight, up to the largest frame allowed. Downstream, STOMP
 * decoding and the token protection see whole messages, as before. The container hands
 * over the messages of one connection one at a time, so this needs no lock.
 */
final class PartialMessages {

	private final int limit;

	private StringBuilder text;

	private ByteArrayOutputStream binary;

	/**
	 * Create the assembler of one connection.
	 * @param limit the most characters or bytes of one whole message
	 */
	PartialMessages(int limit) {
		this.limit = limit;
	}

	/**
	 * Take one part of a message.
	 * @param part what the container handed over
	 * @return the whole message once its last part is in (the part itself when it was
	 * whole), or {@code null} while parts are missing
	 * @throws TooLargeException when the parts so far exceed the limit; what was taken is
	 * dropped
	 */
	WebSocketMessage<?> add(WebSocketMessage<?> part) {
		if (part instanceof TextMessage textPart) {
			return addText(textPart);
		}
		if (part instanceof BinaryMessage binaryPart) {
			return addBinary(binaryPart);
		}
		return part;
	}

	private WebSocketMessage<?> addText(TextMessage part) {
		if (part.isLast() && this.text == null) {
			return part;
		}
		if (this.text == null) {
			this.text = new StringBuilder(part.getPayloadLength() * 2);
		}
		this.text.append(part.getPayload());
		if (this.text.length() > this.limit) {
			this.text = null;
			throw new TooLargeException(this.limit);
		}
		if (!part.isLast()) {
			return null;
		}
		TextMessage whole = new TextMessage(this.text.toString());
		this.text = null;
		return whole;
	}

	private WebSocketMessage<?> addBinary(BinaryMessage part) {
		if (part.isLast() && this.binary == null) {
			return part;
		}
		if (this.binary == null) {
			this.binary = new ByteArrayOutputStream(part.getPayloadLength() * 2);
		}
		ByteBuffer payload = part.getPayload().duplicate();
		byte[] bytes = new byte[payload.remaining()];
		payload.get(bytes);
		this.binary.writeBytes(bytes);
		if (this.binary.size() > this.limit) {
			this.binary = null;
			throw new TooLargeException(this.limit);
		}
		if (!part.isLast()) {
			return null;
		}
		BinaryMessage whole = new BinaryMessage(this.binary.toByteArray());
		this.binary = null;
		return whole;
	}

	/**
	 * A client's message larger than the largest frame allowed.
	 */
	static final class TooLargeException extends RuntimeException {

		TooLargeException(int limit) {
			super("WebSocket message larger than the " + limit + " bytes a STOMP frame may have");
		}

	}

}
