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

package io.github.notifystomp.test;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket client that sends hand-written STOMP frames, for the frames a well-behaved
 * STOMP client never sends: frames before CONNECT, a second CONNECT, server commands,
 * garbage.
 */
public final class RawStompClient implements AutoCloseable {

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

	private final WebSocketSession session;

	private RawStompClient(String url, WebSocketHttpHeaders headers) throws Exception {
		StandardWebSocketClient client = new StandardWebSocketClient();
		this.session = client.execute(new TextWebSocketHandler() {

			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				RawStompClient.this.messages.add(message.getPayload());
				split(message.getPayload(), RawStompClient.this.received);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				RawStompClient.this.closed.complete(status);
			}

		}, headers, URI.create(url)).get(10, TimeUnit.SECONDS);
		this.session.setTextMessageSizeLimit(1024 * 1024);
	}

	public static RawStompClient open(int port) throws Exception {
		return new RawStompClient("ws://localhost:" + port + "/ws", new WebSocketHttpHeaders());
	}

	public static RawStompClient open(String url, WebSocketHttpHeaders headers) throws Exception {
		return new RawStompClient(url, headers);
	}

	/**
	 * Send one frame: command, headers as "name:value" lines, body; the NUL is added.
	 */
	public RawStompClient frame(String command, String body, String... headers) throws Exception {
		StringBuilder frame = new StringBuilder(command).append('\n');
		for (String header : headers) {
			frame.append(header).append('\n');
		}
		frame.append('\n').append(body).append('\0');
		return text(frame.toString());
	}

	public RawStompClient text(String text) throws Exception {
		this.session.sendMessage(new TextMessage(text));
		return this;
	}

	public RawStompClient connect(String token) throws Exception {
		frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,0", "host:localhost", "Authorization:Bearer " + token);
		String connected = next();
		if (!connected.startsWith("CONNECTED")) {
			fail("Expected CONNECTED, got: " + connected);
		}
		return this;
	}

	/**
	 * Wait for the next frame the server sent.
	 */
	public String next() throws InterruptedException {
		String frame = this.received.poll(StompTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (frame == null) {
			fail("No frame from the server within " + StompTestClient.TIMEOUT);
		}
		return frame;
	}

	/**
	 * Wait for an ERROR frame, skipping heart-beats, and return its message header.
	 */
	public String awaitError() throws InterruptedException {
		while (true) {
			String frame = next();
			if (frame.startsWith("ERROR")) {
				for (String line : frame.split("\n")) {
					if (line.startsWith("message:")) {
						return unescape(line.substring("message:".length()));
					}
				}
				return "";
			}
			if (!frame.isBlank()) {
				fail("Expected ERROR, got: " + frame);
			}
		}
	}

	// STOMP 1.2 header escapes
	private static String unescape(String value) {
		return value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
	}

	public CloseStatus awaitClosed() throws Exception {
		return this.closed.get(StompTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean isOpen() {
		return this.session.isOpen();
	}

	/**
	 * The frames the server sent, each with its NUL, and each heart-beat as an EOL of its
	 * own, whether they came in WebSocket messages of their own or several in one.
	 */
	public BlockingQueue<String> received() {
		return this.received;
	}

	/**
	 * The WebSocket messages the server sent, as they came: one may carry several frames.
	 */
	public BlockingQueue<String> messages() {
		return this.messages;
	}

	// STOMP allows several frames in one WebSocket message, each ending with NUL, and
	// EOLs (heart-beats) before each frame
	static void split(String message, BlockingQueue<String> frames) {
		int start = 0;
		while (start < message.length()) {
			if (message.charAt(start) == '\n') {
				frames.add("\n");
				start++;
				continue;
			}
			if (message.startsWith("\r\n", start)) {
				frames.add("\r\n");
				start += 2;
				continue;
			}
			int end = message.indexOf('\0', start);
			if (end < 0) {
				frames.add(message.substring(start));
				return;
			}
			frames.add(message.substring(start, end + 1));
			start = end + 1;
		}
	}

	@Override
	public void close() throws Exception {
		if (this.session.isOpen()) {
			this.session.close();
		}
	}

}
