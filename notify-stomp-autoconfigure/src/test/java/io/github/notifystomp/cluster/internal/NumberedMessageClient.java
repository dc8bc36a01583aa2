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

package io.github.notifystomp.cluster.internal;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw STOMP client of one user, subscribed to its user queue, for tests that send many
 * messages whose payload is a number: it hands each MESSAGE's number to
 * {@link #onNumber(int)} and counts them, with no STOMP client library in between.
 */
abstract class NumberedMessageClient extends TextWebSocketHandler {

	private final String user;

	private final AtomicLong received = new AtomicLong();

	private final CountDownLatch connected = new CountDownLatch(1);

	private WebSocketSession session;

	NumberedMessageClient(String user) {
		this.user = user;
	}

	/**
	 * Connect as the user and subscribe to {@code /user/queue/notify}.
	 * @param port the node's port
	 * @throws Exception if the node does not answer with CONNECTED in time
	 */
	void open(int port) throws Exception {
		this.session = new StandardWebSocketClient()
			.execute(this, new WebSocketHttpHeaders(), URI.create("ws://localhost:" + port + "/ws"))
			.get(10, TimeUnit.SECONDS);
		this.session.setTextMessageSizeLimit(1024 * 1024);
		this.session.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nheart-beat:0,0\nhost:localhost\n"
				+ "Authorization:Bearer valid-" + this.user + "\n\n\0"));
		assertThat(this.connected.await(10, TimeUnit.SECONDS)).as("CONNECTED for %s", this.user).isTrue();
		this.session.sendMessage(new TextMessage("SUBSCRIBE\nid:0\ndestination:/user/queue/notify\n\n\0"));
	}

	// a WebSocket message may carry several frames, each ending with NUL
	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		for (String frame : message.getPayload().split("\0")) {
			handleFrame(frame.stripLeading());
		}
	}

	private void handleFrame(String frame) {
		if (frame.startsWith("CONNECTED")) {
			this.connected.countDown();
			return;
		}
		if (!frame.startsWith("MESSAGE")) {
			return;
		}
		int at = frame.indexOf("\"payload\":", frame.indexOf("\n\n"));
		int number = 0;
		for (int i = at + 10; i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
			number = number * 10 + (frame.charAt(i) - '0');
		}
		onNumber(number);
		this.received.incrementAndGet();
	}

	/**
	 * Take the number a MESSAGE carried, on the WebSocket client's thread.
	 * @param number the payload
	 */
	protected abstract void onNumber(int number);

	String user() {
		return this.user;
	}

	long received() {
		return this.received.get();
	}

	void close() {
		try {
			this.session.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

}
