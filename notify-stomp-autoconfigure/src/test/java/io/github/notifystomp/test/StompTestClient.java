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

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real STOMP-over-WebSocket client for tests, built on Spring's
 * {@link WebSocketStompClient}: collects MESSAGE frames per subscription and ERROR frames
 * in blocking queues, and fails with a clear message on timeout.
 */
public final class StompTestClient implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Method UNSUBSCRIBE = ReflectionUtils.findMethod(StompSession.Subscription.class,
			"unsubscribe");

	/**
	 * Unsubscribe. Called by name: the method returns {@code void} in Spring Framework
	 * 6.2 and a {@code Receiptable} in 7, and these tests run on both.
	 * @param subscription the subscription to end
	 */
	public static void unsubscribe(StompSession.Subscription subscription) {
		ReflectionUtils.invokeMethod(UNSUBSCRIBE, subscription);
	}

	private final BlockingQueue<StompHeaders> errors = new LinkedBlockingQueue<>();

	private final CompletableFuture<Throwable> closed = new CompletableFuture<>();

	private final List<Throwable> exceptions = new CopyOnWriteArrayList<>();

	private final WebSocketStompClient client;

	private StompSession session;

	private StompTestClient(WebSocketStompClient client) {
		this.client = client;
	}

	/**
	 * Connect with {@code Authorization: Bearer <token>} and wait for CONNECTED.
	 */
	public static StompTestClient connect(int port, String token) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + token);
		StompTestClient client = attempt(port, headers);
		if (client.session == null) {
			fail("CONNECT as token '" + token + "' failed: " + client.errors.peek() + " / "
					+ client.closed.getNow(null));
		}
		return client;
	}

	/**
	 * Try to connect with the given CONNECT headers; the returned client is either
	 * connected or holds the ERROR frame and the close.
	 */
	public static StompTestClient attempt(int port, StompHeaders connectHeaders) {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		// the default (8 KB) closes the connection on a larger notification
		container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
		WebSocketStompClient stompClient = new WebSocketStompClient(new StandardWebSocketClient(container));
		stompClient.setMessageConverter(new SimpleMessageConverter());
		stompClient.setDefaultHeartbeat(new long[] { 0, 0 });
		stompClient.setInboundMessageSizeLimit(1024 * 1024);
		StompTestClient client = new StompTestClient(stompClient);
		CompletableFuture<StompSession> future = stompClient.connectAsync("ws://localhost:" + port + "/ws",
				new WebSocketHttpHeaders(), connectHeaders, client.new Handler());
		try {
			client.session = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			client.closed.complete(ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			fail("CONNECT got neither CONNECTED nor an error within " + TIMEOUT);
		}
		return client;
	}

	public boolean isConnected() {
		return this.session != null && this.session.isConnected();
	}

	public String sessionId() {
		return this.session.getSessionId();
	}

	public StompSession session() {
		return this.session;
	}

	/**
	 * Subscribe and collect the frames.
	 */
	public Subscription subscribe(String destination) {
		return subscribe(destination, Map.of());
	}

	public Subscription subscribe(String destination, Map<String, String> extraHeaders) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		extraHeaders.forEach(headers::add);
		Subscription subscription = new Subscription();
		subscription.handle = this.session.subscribe(headers, subscription);
		return subscription;
	}

	public void send(String destination, String body, Map<String, String> extraHeaders) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		extraHeaders.forEach(headers::add);
		this.session.send(headers, body.getBytes(StandardCharsets.UTF_8));
	}

	public void ack(Frame frame) {
		this.session.acknowledge(frame.headers().getAck(), true);
	}

	public void nack(Frame frame) {
		this.session.acknowledge(frame.headers().getAck(), false);
	}

	/**
	 * Send an ACK (or NACK) frame with the given {@code id} header, whatever it is.
	 */
	public void acknowledge(String id, boolean ack) {
		this.session.acknowledge(id, ack);
	}

	/**
	 * Wait for an ERROR frame and return its {@code message} header.
	 */
	public String awaitError() {
		try {
			StompHeaders error = this.errors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (error == null) {
				fail("No ERROR frame within " + TIMEOUT + (this.closed.isDone() ? "; connection closed" : ""));
			}
			return error.getFirst("message");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Wait until the connection is closed by the server.
	 */
	public void awaitClosed() {
		try {
			this.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			fail("Connection still open after " + TIMEOUT);
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public boolean isClosed() {
		return this.closed.isDone();
	}

	public List<Throwable> exceptions() {
		return this.exceptions;
	}

	@Override
	public void close() {
		if (this.session != null && this.session.isConnected()) {
			try {
				this.session.disconnect();
			}
			catch (RuntimeException ex) {
				// already closed by the server
			}
		}
		this.client.stop();
	}

	/**
	 * A received frame: its headers and its body as text.
	 */
	public record Frame(StompHeaders headers, String body) {

		public String header(String name) {
			return this.headers.getFirst(name);
		}

		/**
		 * Return the {@code notify-seq} header, or {@code null} if there is none.
		 */
		public Long seq() {
			String seq = header("notify-seq");
			return (seq != null) ? Long.valueOf(seq) : null;
		}

		public String id() {
			return header("notify-id");
		}

	}

	/**
	 * The frames of one subscription.
	 */
	public final class Subscription implements StompFrameHandler {

		private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

		private StompSession.Subscription handle;

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			this.frames
				.add(new Frame(headers, (payload != null) ? new String((byte[]) payload, StandardCharsets.UTF_8) : ""));
		}

		/**
		 * Wait for the next frame.
		 */
		public Frame next() {
			return next(TIMEOUT);
		}

		public Frame next(Duration timeout) {
			try {
				Frame frame = this.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
				if (frame == null) {
					fail("No MESSAGE within " + timeout + " on subscription " + this.handle.getSubscriptionId());
				}
				return frame;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Wait for the next frames, failing if one of them does not come in time.
		 */
		public List<Frame> next(int count) {
			List<Frame> frames = new java.util.ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				try {
					frames.add(next());
				}
				catch (AssertionError ex) {
					throw new AssertionError("Got " + i + " of " + count + " frames: " + ex.getMessage(), ex);
				}
			}
			return frames;
		}

		/**
		 * Assert that no frame arrives within the given time.
		 */
		public void assertNothingWithin(Duration quiet) {
			try {
				Frame frame = this.frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(frame).as("unexpected MESSAGE").isNull();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		public List<Frame> drain() {
			List<Frame> drained = new java.util.ArrayList<>();
			this.frames.drainTo(drained);
			return drained;
		}

		public void unsubscribe() {
			StompTestClient.unsubscribe(this.handle);
		}

	}

	private final class Handler extends StompSessionHandlerAdapter {

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// frames without a subscription: ERROR
			StompTestClient.this.errors.add(headers);
		}

		@Override
		public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
				Throwable exception) {
			StompTestClient.this.exceptions.add(exception);
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			StompTestClient.this.closed.complete(exception);
		}

	}

}
