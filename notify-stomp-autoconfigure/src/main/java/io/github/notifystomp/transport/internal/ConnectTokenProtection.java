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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Takes the token header out of a CONNECT frame before Spring decodes it, and keeps it in
 * the session attributes as a value that prints as {@code [PROTECTED]}. Spring masks only
 * the {@code passcode} header: its STOMP decoder logs every other CONNECT header at
 * TRACE, and several DEBUG lines print whole messages, so without this the token would
 * reach the logs.
 */
public final class ConnectTokenProtection {

	static final String PLACEHOLDER = "[PROTECTED]";

	static final String ATTRIBUTE = "notify.stomp.connectToken";

	private ConnectTokenProtection() {
	}

	/**
	 * Protect the token header of a CONNECT frame.
	 * @param message a WebSocket message from a client
	 * @param attributes the session attributes, where the token is kept
	 * @param headerName the CONNECT header that carries the token
	 * @return the message with the header value replaced by a placeholder, or the message
	 * itself when it is not a CONNECT with that header
	 */
	static WebSocketMessage<?> protect(WebSocketMessage<?> message, Map<String, Object> attributes, String headerName) {
		String text;
		if (message instanceof TextMessage textMessage) {
			text = textMessage.getPayload();
		}
		else if (message instanceof BinaryMessage binaryMessage && binaryMessage.getPayloadLength() < 65536) {
			text = StandardCharsets.UTF_8.decode(binaryMessage.getPayload().duplicate()).toString();
		}
		else {
			return message;
		}
		int start = 0;
		while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
			start++;
		}
		if (!text.startsWith("CONNECT", start) && !text.startsWith("STOMP", start)) {
			return message;
		}
		int end = text.indexOf('\0', start);
		int headersEnd = headersEnd(text, start, (end >= 0) ? end : text.length());
		List<String> values = new ArrayList<>(1);
		StringBuilder rewritten = new StringBuilder(text.length());
		String prefix = headerName.toLowerCase(Locale.ROOT) + ":";
		int lineStart = start;
		rewritten.append(text, 0, start);
		while (lineStart < headersEnd) {
			int lineEnd = text.indexOf('\n', lineStart);
			if (lineEnd < 0 || lineEnd > headersEnd) {
				lineEnd = headersEnd;
			}
			String line = text.substring(lineStart, lineEnd);
			if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
				String value = line.substring(prefix.length());
				values.add(value.endsWith("\r") ? value.substring(0, value.length() - 1) : value);
				rewritten.append(line, 0, prefix.length()).append(PLACEHOLDER).append(value.endsWith("\r") ? "\r" : "");
			}
			else {
				rewritten.append(line);
			}
			if (lineEnd < headersEnd) {
				rewritten.append('\n');
			}
			lineStart = lineEnd + 1;
		}
		if (values.isEmpty()) {
			return message;
		}
		rewritten.append(text, headersEnd, text.length());
		attributes.put(ATTRIBUTE, new Secret(values));
		return (message instanceof TextMessage) ? new TextMessage(rewritten.toString(), message.isLast())
				: new BinaryMessage(rewritten.toString().getBytes(StandardCharsets.UTF_8), message.isLast());
	}

	/**
	 * Take the token header values of a CONNECT: the protected ones when the frame went
	 * through {@link #protect}, otherwise the plain STOMP header. Both are removed.
	 * @param accessor the CONNECT headers, mutable
	 * @param headerName the token header
	 * @return the values, or {@code null} if the header is absent
	 */
	public static List<String> take(StompHeaderAccessor accessor, String headerName) {
		String name = findHeader(accessor, headerName);
		List<String> values = (name != null) ? accessor.getNativeHeader(name) : null;
		if (name != null) {
			accessor.removeNativeHeader(name);
		}
		Map<String, Object> attributes = accessor.getSessionAttributes();
		Object secret = (attributes != null) ? attributes.remove(ATTRIBUTE) : null;
		if (secret instanceof Secret protectedValues && values != null && values.contains(PLACEHOLDER)) {
			return protectedValues.values();
		}
		return values;
	}

	// where the header lines of a frame end: at the first empty line, or at the frame end
	private static int headersEnd(String text, int start, int frameEnd) {
		int blank = text.indexOf("\n\n", start);
		int blankCrlf = text.indexOf("\n\r\n", start);
		int end = frameEnd;
		if (blank >= 0 && blank < end) {
			end = blank;
		}
		if (blankCrlf >= 0 && blankCrlf < end) {
			end = blankCrlf;
		}
		return end;
	}

	// STOMP header names are case-sensitive, but
	// clients differ in how they spell this one
	private static String findHeader(StompHeaderAccessor accessor, String headerName) {
		Map<String, List<String>> headers = accessor.toNativeHeaderMap();
		if (headers.containsKey(headerName)) {
			return headerName;
		}
		for (String name : headers.keySet()) {
			if (name.equalsIgnoreCase(headerName)) {
				return name;
			}
		}
		return null;
	}

	private record Secret(List<String> values) {

		@Override
		public String toString() {
			return PLACEHOLDER;
		}

	}

}
