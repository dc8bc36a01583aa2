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

package io.github.notifystomp.benchmarks.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One STOMP 1.2 session over a {@link WebSocket} of the JDK's HTTP client: it sends a
 * CONNECT with a bearer token (and {@code heart-beat:0,0}), SUBSCRIBEs once CONNECTED,
 * and hands every MESSAGE's send timestamp and phase to its {@link ClientFleet}. Frames
 * are written and read as text, as a browser client does.
 */
final class StompClient implements WebSocket.Listener {

	private final ClientFleet fleet;

	private final String userId;

	private final String connectFrame;

	private final List<String> subscribeFrames;

	private final CompletableFuture<StompClient> ready = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	// the JDK's WebSocket allows one outstanding send: the SUBSCRIBEs wait for
	// the CONNECT
	private final CompletableFuture<WebSocket> connectSent = new CompletableFuture<>();

	private volatile WebSocket socket;

	private volatile int lastPhase = -1;

	// messages of the latest phase this client received one of
	private volatile int countedPhase = -1;

	private volatile long phaseCount;

	private volatile long lastReceiptNanos;

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private volatile boolean closeRequested;

	StompClient(ClientFleet fleet, String userId, String token, List<String> destinations,
			List<String> subscribeHeaders) {
		this.fleet = fleet;
		this.userId = userId;
		this.connectFrame = "CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer " + token
				+ "\n\n\0";
		StringBuilder extra = new StringBuilder();
		for (String header : subscribeHeaders) {
			extra.append(header).append('\n');
		}
		this.subscribeFrames = new ArrayList<>();
		for (int i = 0; i < destinations.size(); i++) {
			this.subscribeFrames.add("SUBSCRIBE\nid:sub-" + i + "\ndestination:" + destinations.get(i) + "\nack:auto\n"
					+ extra + "\n\0");
		}
	}

	/**
	 * Open the WebSocket, CONNECT and SUBSCRIBE.
	 * @return completes when every SUBSCRIBE frame is written, fails on an ERROR frame or
	 * a closed connection
	 */
	CompletableFuture<StompClient> start(HttpClient http, URI uri, Duration timeout) {
		http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, this).thenCompose((ws) -> {
			this.socket = ws;
			return ws.sendText(this.connectFrame, true);
		}).whenComplete((ws, ex) -> {
			if (ex != null) {
				this.ready.completeExceptionally(ex);
				this.connectSent.completeExceptionally(ex);
			}
			else {
				this.connectSent.complete(ws);
			}
		});
		return this.ready;
	}

	String userId() {
		return this.userId;
	}

	// only the client's reading thread counts
	private void count(int phase) {
		if (phase != this.countedPhase) {
			this.countedPhase = phase;
			this.phaseCount = 0;
		}
		this.phaseCount++;
	}

	/**
	 * Return how many messages of a phase this client received, as long as it has
	 * received none of a later one.
	 */
	long receivedOf(int phase) {
		return (this.countedPhase == phase) ? this.phaseCount : 0;
	}

	int lastPhase() {
		return this.lastPhase;
	}

	long lastReceiptNanos() {
		return this.lastReceiptNanos;
	}

	boolean isCloseRequested() {
		return this.closeRequested;
	}

	/**
	 * Close the WebSocket.
	 * @return completes when the server answered the close
	 */
	CompletableFuture<Void> close() {
		this.closeRequested = true;
		WebSocket ws = this.socket;
		if (ws == null || this.closed.isDone()) {
			return CompletableFuture.completedFuture(null);
		}
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, ex) -> {
			if (ex != null) {
				ws.abort();
				this.closed.complete(null);
			}
		});
		return this.closed;
	}

	void abort() {
		this.closeRequested = true;
		WebSocket ws = this.socket;
		if (ws != null) {
			ws.abort();
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		if (!last) {
			this.partial.append(data);
			return null;
		}
		if (this.partial.length() > 0) {
			this.partial.append(data);
			frames(webSocket, this.partial);
			this.partial.setLength(0);
		}
		else {
			frames(webSocket, data);
		}
		return null;
	}

	// one WebSocket message may carry several frames, each ending with NUL (the JSON
	// bodies here never contain one)
	private void frames(WebSocket webSocket, CharSequence data) {
		int start = 0;
		for (int i = 0; i < data.length(); i++) {
			if (data.charAt(i) == '\0') {
				frame(webSocket, data.subSequence(start, i + 1));
				start = i + 1;
			}
		}
		if (start < data.length()) {
			frame(webSocket, data.subSequence(start, data.length()));
		}
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		return onText(webSocket, StandardCharsets.UTF_8.decode(data), last);
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(null);
		this.ready.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
		this.fleet.closed(this, statusCode + " " + reason);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(null);
		this.ready.completeExceptionally(error);
		this.fleet.closed(this, error.toString());
	}

	private void frame(WebSocket webSocket, CharSequence frame) {
		int start = 0;
		while (start < frame.length() && (frame.charAt(start) == '\n' || frame.charAt(start) == '\r')) {
			start++;
		}
		if (startsWith(frame, start, "MESSAGE")) {
			long now = System.nanoTime();
			int body = indexOf(frame, "\n\n", start);
			long sentAt = number(frame, "\"t\":", body);
			long phase = number(frame, "\"p\":", body);
			this.lastReceiptNanos = now;
			if (phase >= 0) {
				this.lastPhase = (int) phase;
				count((int) phase);
			}
			this.fleet.received((int) phase, now - sentAt);
		}
		else if (startsWith(frame, start, "CONNECTED")) {
			this.connectSent.thenAccept((ws) -> subscribe(ws, 0));
		}
		else if (startsWith(frame, start, "ERROR")) {
			String text = frame.toString().replace('\0', ' ').replace('\n', ' ').trim();
			this.ready.completeExceptionally(new IllegalStateException(text));
			this.fleet.error(this, text);
		}
	}

	private void subscribe(WebSocket webSocket, int next) {
		if (next == this.subscribeFrames.size()) {
			this.ready.complete(this);
			return;
		}
		webSocket.sendText(this.subscribeFrames.get(next), true).whenComplete((ws, ex) -> {
			if (ex != null) {
				this.ready.completeExceptionally(ex);
			}
			else {
				subscribe(webSocket, next + 1);
			}
		});
	}

	private static boolean startsWith(CharSequence text, int start, String prefix) {
		if (text.length() - start < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (text.charAt(start + i) != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int indexOf(CharSequence text, String needle, int from) {
		int last = text.length() - needle.length();
		outer: for (int i = Math.max(0, from); i <= last; i++) {
			for (int j = 0; j < needle.length(); j++) {
				if (text.charAt(i + j) != needle.charAt(j)) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	// reads the integer after the first occurrence of key at or after from; -1 if none
	private static long number(CharSequence text, String key, int from) {
		int at = (from >= 0) ? indexOf(text, key, from) : -1;
		if (at < 0) {
			return -1;
		}
		int i = at + key.length();
		boolean negative = i < text.length() && text.charAt(i) == '-';
		if (negative) {
			i++;
		}
		long value = 0;
		int digits = 0;
		while (i < text.length() && Character.isDigit(text.charAt(i))) {
			value = value * 10 + (text.charAt(i++) - '0');
			digits++;
		}
		if (digits == 0) {
			return -1;
		}
		return negative ? -value : value;
	}

}
