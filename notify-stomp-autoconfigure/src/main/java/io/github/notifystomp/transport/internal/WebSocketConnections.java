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

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;
import org.springframework.web.socket.sockjs.transport.session.AbstractSockJsSession;

import io.github.notifystomp.metrics.NotifyMetrics;

/**
 * The WebSocket connections open on this node. Closes a connection that has not sent
 * CONNECT within the deadline (Spring's own check runs only when another client
 * connects), keeps the CONNECT token out of Spring's frame logging, and closes a
 * connection with an ERROR frame that is guaranteed to be written before the close.
 * <p>
 * Writes to a connection never hold the thread that hands them over: on a
 * {@code jakarta.websocket} container (Tomcat, Jetty, Undertow) each connection writes
 * asynchronously, one frame at a time, and a client that does not read holds only its own
 * queue; a write that takes longer than the send time limit, or a queue over the send
 * buffer limit, closes the connection as a slow consumer. Spring's own writes block,
 * which let a few clients that stopped reading hold every outbound thread.
 * <p>
 * Spring closes a session right after handing it an ERROR frame; a close here waits for
 * the frames queued before it, so the ERROR is written after the frame in flight and
 * before the close.
 * <p>
 * Closes that may wait for a write in flight (a client that stopped reading) run on a few
 * threads of their own, never on the thread that asks for them.
 */
public class WebSocketConnections implements WebSocketHandlerDecoratorFactory, DisposableBean {

	private static final Log logger = LogFactory.getLog(WebSocketConnections.class);

	private static final byte[] EMPTY = new byte[0];

	// how long a close for a restart waits for a write in flight before closing without
	// its ERROR frame
	private static final long RESTART_LOCK_WAIT_MILLIS = 1000;

	private static final int CLOSER_THREADS = 4;

	private static final boolean JAKARTA_WEBSOCKET_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketConnections.class.getClassLoader());

	private final Set<String> closedAsSlow = ConcurrentHashMap.newKeySet();

	private final ThreadPoolExecutor closer;

	private final Map<String, WebSocketSession> connections = new ConcurrentHashMap<>();

	// the session whose inbound message this thread is handling, for errors raised before
	// Spring has put the session id on the frame
	private final ThreadLocal<String> handling = new ThreadLocal<>();

	private final StompEncoder encoder = new StompEncoder();

	private final TaskScheduler scheduler;

	private final Duration connectTimeout;

	private final NotifyMetrics metrics;

	private final String tokenHeader;

	private final Duration sendTimeLimit;

	private final long sendBufferBytes;

	private final int coalesceBytes;

	private final Duration idleTimeout;

	private final InboundLimits inbound;

	private final LivenessCheck liveness;

	private volatile Predicate<String> connected = (sessionId) -> false;

	private volatile Consumer<String> slowConsumerListener = (sessionId) -> {
	};

	/**
	 * Create the registry.
	 * @param scheduler runs the CONNECT deadline and liveness checks
	 * @param connectTimeout how long a connection may stay without CONNECT
	 * @param metrics records sessions closed as slow consumers
	 * @param tokenHeader the CONNECT header that carries the token, kept out of logs
	 * @param sendTimeLimit the longest time one write to a client may take, or
	 * {@code null} to keep the container's own limit
	 * @param sendBufferBytes the most bytes waiting behind the write in flight to one
	 * client; beyond it the client is closed as a slow consumer
	 * @param idleTimeout how long a connection may stay without inbound traffic before it
	 * is closed as dead (the server pings it meanwhile), or {@code null} for no limit
	 * @param inbound the container's inbound buffer and the largest message a client may
	 * send
	 * @param coalesceBytes the most bytes of frames waiting for one connection that are
	 * written together as one WebSocket message, {@code 0} to write each frame in a
	 * message of its own
	 */
	public WebSocketConnections(TaskScheduler scheduler, Duration connectTimeout, NotifyMetrics metrics,
			String tokenHeader, Duration sendTimeLimit, long sendBufferBytes, Duration idleTimeout,
			InboundLimits inbound, int coalesceBytes) {
		this.idleTimeout = idleTimeout;
		this.inbound = inbound;
		this.sendBufferBytes = sendBufferBytes;
		this.coalesceBytes = coalesceBytes;
		this.scheduler = scheduler;
		this.connectTimeout = connectTimeout;
		this.metrics = metrics;
		this.tokenHeader = tokenHeader;
		this.sendTimeLimit = sendTimeLimit;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("notify-stomp-close-");
		threads.setDaemon(true);
		// one task per connection at most: the queue is bounded by the connections
		this.closer = new ThreadPoolExecutor(CLOSER_THREADS, CLOSER_THREADS, 10, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threads);
		this.closer.allowCoreThreadTimeOut(true);
		this.liveness = new LivenessCheck(scheduler, idleTimeout, this.connections::values);
	}

	/**
	 * Set the check for whether a session has completed its CONNECT.
	 * @param connected the check, by session id
	 */
	public void setConnected(Predicate<String> connected) {
		this.connected = connected;
	}

	/**
	 * Set what learns of each session closed as a slow consumer, before it is closed.
	 * @param listener takes the session id
	 */
	public void setSlowConsumerListener(Consumer<String> listener) {
		this.slowConsumerListener = listener;
	}

	/**
	 * Return how many messages a connection has taken so far.
	 * @param sessionId the session
	 * @return the count, {@code -1} for a connection written to by blocking writes
	 */
	public long accepted(String sessionId) {
		return (this.connections.get(sessionId) instanceof ClientConnection connection) ? connection.accepted() : -1;
	}

	/**
	 * Run an action once a connection has taken the message handed over after
	 * {@link #accepted} returned the given count, and has room for another (see
	 * {@link AsyncWriter#whenReadyForMore}); at once for blocking writes.
	 * @param sessionId the session
	 * @param acceptedBefore what {@link #accepted} returned before
	 * @param action the action, run on the thread that completes a write
	 */
	public void whenReadyForMore(String sessionId, long acceptedBefore, Runnable action) {
		if (this.connections.get(sessionId) instanceof ClientConnection connection) {
			connection.whenReadyForMore(acceptedBefore, action);
		}
		else {
			action.run();
		}
	}

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new Decorator(handler);
	}

	/**
	 * Return the number of open connections, with or without a completed CONNECT.
	 * @return the count
	 */
	public int count() {
		return this.connections.size();
	}

	/**
	 * Return the id of the session whose inbound message the current thread is handling.
	 * @return the session id, or {@code null} outside inbound handling
	 */
	public String currentSessionId() {
		return this.handling.get();
	}

	/**
	 * Send an ERROR frame and close the connection.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 * @param status the WebSocket close status
	 * @return {@code true} if the connection was open here
	 */
	public boolean closeWithError(String sessionId, String text, CloseStatus status) {
		return closeWithError(sessionId, text, status, Map.of());
	}

	/**
	 * Send an ERROR frame with further headers and close the connection.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 * @param status the WebSocket close status
	 * @param headers further headers of the ERROR frame, empty for none
	 * @return {@code true} if the connection was open here
	 */
	public boolean closeWithError(String sessionId, String text, CloseStatus status, Map<String, String> headers) {
		return closeWithError(sessionId, text, status, headers, -1);
	}

	/**
	 * Send an ERROR frame with further headers and close the connection, on a thread of
	 * the registry's own. If a write to the connection does not end within a second, the
	 * connection is closed without the ERROR frame.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 * @param status the WebSocket close status
	 * @param headers further headers of the ERROR frame, empty for none
	 * @return a future that completes when the connection is closed, with {@code true} if
	 * it was open here
	 */
	public CompletableFuture<Boolean> closeWithErrorAsync(String sessionId, String text, CloseStatus status,
			Map<String, String> headers) {
		try {
			return CompletableFuture.supplyAsync(
					() -> closeWithError(sessionId, text, status, headers, RESTART_LOCK_WAIT_MILLIS), this.closer);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(closeWithError(sessionId, text, status, headers, 0));
		}
	}

	/**
	 * Close a connection whose client does not read its messages fast enough, with status
	 * 4500, without waiting. No ERROR frame is written: the client reads nothing.
	 * @param sessionId the session
	 */
	public void closeSlowConsumer(String sessionId) {
		WebSocketSession session = this.connections.get(sessionId);
		if (session == null || !this.closedAsSlow.add(sessionId)) {
			return;
		}
		this.metrics.slowConsumerClosed();
		try {
			this.slowConsumerListener.accept(sessionId);
		}
		catch (RuntimeException ex) {
			logger.debug("Slow consumer listener failed", ex);
		}
		CloseStatus tooSlow = CloseStatus.SESSION_NOT_RELIABLE.withReason("Too slow, reconnect");
		if (session instanceof ClientConnection connection) {
			connection.abandonWrites();
			connection.closeOnCloser(tooSlow, true);
			return;
		}
		try {
			this.closer.execute(() -> close(session, tooSlow));
		}
		catch (RuntimeException ex) {
			close(session, tooSlow);
		}
	}

	@Override
	public void destroy() {
		this.liveness.stop();
		this.closer.shutdown();
	}

	// lockWait: -1 waits for a write in flight as long as it takes, 0 not at all
	private boolean closeWithError(String sessionId, String text, CloseStatus status, Map<String, String> headers,
			long lockWait) {
		WebSocketSession session = this.connections.get(sessionId);
		if (session == null) {
			return false;
		}
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(text);
		headers.forEach(accessor::setNativeHeader);
		byte[] frame = this.encoder.encode(accessor.getMessageHeaders(), EMPTY);
		if (session instanceof ClientConnection connection) {
			connection.sendAndClose(new TextMessage(frame), status, lockWait);
		}
		else {
			try {
				session.sendMessage(new TextMessage(frame));
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Sending ERROR to session " + SessionLabels.of(sessionId) + " failed", ex);
			}
			close(session, status);
		}
		return true;
	}

	private void closeIfNotConnected(WebSocketSession session) {
		if (!session.isOpen() || this.connected.test(session.getId())) {
			return;
		}
		logger.info("Closing WebSocket session " + SessionLabels.of(session.getId()) + ": no STOMP CONNECT within "
				+ this.connectTimeout);
		close(session, CloseStatus.POLICY_VIOLATION.withReason("No CONNECT frame in time"));
	}

	static void close(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing session " + SessionLabels.of(session.getId()) + " failed", ex);
		}
	}

	private final class Decorator extends WebSocketHandlerDecorator {

		Decorator(WebSocketHandler delegate) {
			super(delegate);
		}

		@Override
		public boolean supportsPartialMessages() {
			// the container may hand over a message in parts: each connection puts its
			// messages back together (see PartialMessages)
			return true;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			TomcatSessions.limitBlockingWrites(session, WebSocketConnections.this.sendTimeLimit);
			// SockJS sessions are left as they are: Spring checks their type
			WebSocketSession wrapped = (session instanceof AbstractSockJsSession) ? session : connection(session);
			WebSocketConnections.this.connections.put(session.getId(), wrapped);
			WebSocketConnections.this.liveness.start();
			WebSocketConnections.this.scheduler.schedule(() -> closeIfNotConnected(wrapped),
					Instant.now().plus(WebSocketConnections.this.connectTimeout));
			super.afterConnectionEstablished(wrapped);
		}

		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
			WebSocketSession known = WebSocketConnections.this.connections.get(session.getId());
			if (known == null) {
				// frames the container hands over after the close ended on another thread
				return;
			}
			if (known instanceof ClientConnection connection) {
				if (connection.isCloseRequested()) {
					// frames that come after the server closed the connection, before the
					// close is written: like a closed connection, it takes nothing more
					return;
				}
				connection.received();
				message = connection.assemble(message);
				if (message == null) {
					return;
				}
			}
			if (message instanceof PongMessage) {
				// the answer to a liveness ping: nothing for STOMP
				return;
			}
			WebSocketConnections.this.handling.set(session.getId());
			try {
				super.handleMessage(session, ConnectTokenProtection.protect(message, session.getAttributes(),
						WebSocketConnections.this.tokenHeader));
			}
			finally {
				WebSocketConnections.this.handling.remove();
			}
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
			WebSocketSession wrapped = WebSocketConnections.this.connections.remove(session.getId());
			boolean counted = WebSocketConnections.this.closedAsSlow.remove(session.getId());
			if (!counted && CloseStatus.SESSION_NOT_RELIABLE.equals(closeStatus)) {
				logger.info("Closed WebSocket session " + SessionLabels.of(session.getId())
						+ ": it could not keep up with its messages");
				WebSocketConnections.this.metrics.slowConsumerClosed();
			}
			super.afterConnectionClosed((wrapped != null) ? wrapped : session, closeStatus);
		}

	}

	private ClientConnection connection(WebSocketSession session) {
		ClientConnection connection = new ClientConnection(session, this.scheduler, this.closer, this.sendTimeLimit,
				this.idleTimeout, this.inbound.messageSizeLimit());
		connection.sizeInboundBuffers(this.inbound.bufferSize());
		connection.writer(JAKARTA_WEBSOCKET_PRESENT ? AsyncWriter.of(session, this.sendTimeLimit, this.sendBufferBytes,
				this.coalesceBytes, (failure) -> writesFailed(connection, failure)) : null);
		return connection;
	}

	// a write that timed out, or too much waiting behind one, is a client that does not
	// read; any other failure is a connection that is gone, which is no fault of its user
	private void writesFailed(ClientConnection connection, Throwable failure) {
		if (failure == null || failure instanceof SocketTimeoutException
				|| failure.getCause() instanceof SocketTimeoutException) {
			closeSlowConsumer(connection.getId());
		}
		else {
			connection.closeOnCloser(CloseStatus.GOING_AWAY.withReason("Connection lost"), true);
		}
	}

}
