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

package io.github.notifystomp.transport;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
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
import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
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

	// Tomcat's bound on one blocking write (20s by default), read per session
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	// how long a close for a restart waits for a write in flight before closing without
	// its ERROR frame
	private static final long RESTART_LOCK_WAIT_MILLIS = 1000;

	private static final int CLOSER_THREADS = 4;

	// how long the close of a connection whose writes are stuck waits to write its close
	// frame before the container drops the connection
	private static final long STUCK_CLOSE_TIMEOUT_MILLIS = 200;

	private static final CloseStatus IDLE = CloseStatus.GOING_AWAY.withReason("No activity");

	private static final byte[] PING = "notify-stomp".getBytes(StandardCharsets.US_ASCII);

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

	private final Duration idleTimeout;

	private final AtomicBoolean livenessStarted = new AtomicBoolean();

	private volatile ScheduledFuture<?> livenessCheck;

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
	 */
	public WebSocketConnections(TaskScheduler scheduler, Duration connectTimeout, NotifyMetrics metrics,
			String tokenHeader, Duration sendTimeLimit, long sendBufferBytes, Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
		this.sendBufferBytes = sendBufferBytes;
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
	 * Run an action once every frame handed to a connection so far is written to it (or
	 * given up). Runs at once for a connection without writes waiting, and for one that
	 * is written to by blocking writes.
	 * @param sessionId the session
	 * @param action the action, run on the thread that completes the last write
	 */
	public void whenWritten(String sessionId, Runnable action) {
		whenWritten(sessionId, 0, action);
	}

	/**
	 * Run an action once at most the given number of frames handed to a connection wait
	 * to be written or are being written. Runs at once for a connection written to by
	 * blocking writes.
	 * @param sessionId the session
	 * @param maxPending the most frames still pending
	 * @param action the action, run on the thread that completes a write
	 */
	public void whenWritten(String sessionId, int maxPending, Runnable action) {
		WebSocketSession session = this.connections.get(sessionId);
		if (session instanceof Connection connection && connection.writer != null) {
			connection.writer.whenAtMost(maxPending, action);
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
		if (session instanceof Connection connection) {
			connection.abandonWrites();
		}
		Runnable close = () -> close((session instanceof Connection connection) ? connection.getDelegate() : session,
				CloseStatus.SESSION_NOT_RELIABLE.withReason("Too slow, reconnect"));
		try {
			this.closer.execute(close);
		}
		catch (RuntimeException ex) {
			close.run();
		}
	}

	@Override
	public void destroy() {
		ScheduledFuture<?> check = this.livenessCheck;
		if (check != null) {
			check.cancel(false);
		}
		this.closer.shutdown();
	}

	// the check runs a few times per idle timeout: a connection is pinged once it has
	// been silent for a third of it, and closed once silent for all of it
	private void startLivenessChecks() {
		if (this.idleTimeout == null || !this.livenessStarted.compareAndSet(false, true)) {
			return;
		}
		long period = Math.max(250, this.idleTimeout.toMillis() / 4);
		this.livenessCheck = this.scheduler.scheduleAtFixedRate(this::checkLiveness, Duration.ofMillis(period));
	}

	void checkLiveness() {
		long now = System.nanoTime();
		long timeout = this.idleTimeout.toNanos();
		for (WebSocketSession session : this.connections.values()) {
			if (session instanceof Connection connection) {
				long silent = now - connection.lastInbound;
				if (silent >= timeout) {
					connection.closeAsDead();
				}
				else if (silent >= timeout / 3) {
					connection.ping();
				}
			}
		}
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
		if (session instanceof Connection connection) {
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

	private static void close(WebSocketSession session, CloseStatus status) {
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
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			limitBlockingWrites(session);
			// SockJS sessions are left as they are: Spring checks their type
			WebSocketSession wrapped = (session instanceof AbstractSockJsSession) ? session : connection(session);
			WebSocketConnections.this.connections.put(session.getId(), wrapped);
			startLivenessChecks();
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
			if (known instanceof Connection connection) {
				if (connection.closeRequested.get()) {
					// frames that come after the server closed the connection, before the
					// close is written: like a closed connection, it takes nothing more
					return;
				}
				connection.lastInbound = System.nanoTime();
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

	private Connection connection(WebSocketSession session) {
		Connection connection = new Connection(session);
		if (JAKARTA_WEBSOCKET_PRESENT) {
			connection.writer = AsyncWriter.of(session, this.sendTimeLimit, this.sendBufferBytes,
					(failure) -> writesFailed(connection, failure));
		}
		return connection;
	}

	// a write that timed out, or too much waiting behind one, is a client that does not
	// read; any other failure is a connection that is gone, which is no fault of its user
	private void writesFailed(Connection connection, Throwable failure) {
		if (failure == null || failure instanceof SocketTimeoutException
				|| failure.getCause() instanceof SocketTimeoutException) {
			closeSlowConsumer(connection.getId());
		}
		else {
			connection.closeOnCloser(CloseStatus.GOING_AWAY.withReason("Connection lost"), true);
		}
	}

	// Tomcat holds an outbound thread in a write to a client that reads nothing for
	// 20s by default; the send time limit is the bound the application asked for
	private void limitBlockingWrites(WebSocketSession session) {
		if (this.sendTimeLimit != null) {
			setBlockingSendTimeout(session, this.sendTimeLimit.toMillis());
		}
	}

	private static void setBlockingSendTimeout(WebSocketSession session, long millis) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return;
		}
		Object standard = nativeSession.getNativeSession();
		if (standard == null) {
			return;
		}
		// jakarta.websocket.Session, which is optional on the starter's class path
		Method getUserProperties = ReflectionUtils.findMethod(standard.getClass(), "getUserProperties");
		if (getUserProperties != null && standard.getClass().getName().startsWith("org.apache.tomcat.")) {
			try {
				Object properties = getUserProperties.invoke(standard);
				if (properties instanceof Map<?, ?> map) {
					@SuppressWarnings("unchecked")
					Map<String, Object> userProperties = (Map<String, Object>) map;
					userProperties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
				}
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not limit blocking writes of session " + SessionLabels.of(session.getId()), ex);
			}
		}
	}

	/**
	 * A connection whose frames are written in order, an ERROR and the close that follows
	 * it never overtaking a frame being written. On a {@code jakarta.websocket} container
	 * the writes are asynchronous: no thread waits for a client that does not read, and a
	 * close waits for the frames queued before it (up to the send time limit) on a thread
	 * of the registry. Elsewhere every write takes one lock.
	 */
	private final class Connection extends WebSocketSessionDecorator {

		private final ReentrantLock writeLock = new ReentrantLock();

		private final AtomicBoolean closeRequested = new AtomicBoolean();

		private final AtomicBoolean pinging = new AtomicBoolean();

		private volatile long lastInbound = System.nanoTime();

		// set once, before the connection is handed to Spring
		private AsyncWriter writer;

		Connection(WebSocketSession delegate) {
			super(delegate);
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			if (this.writer != null) {
				// a connection given up or closing takes nothing more, silently: its
				// close is on its way
				this.writer.write(message);
				return;
			}
			this.writeLock.lock();
			try {
				super.sendMessage(message);
			}
			finally {
				this.writeLock.unlock();
			}
		}

		// closed as soon as the close is asked for, though it waits for the frames before
		// it
		@Override
		public boolean isOpen() {
			return !this.closeRequested.get() && super.isOpen();
		}

		@Override
		public void close() throws IOException {
			close(CloseStatus.NORMAL);
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			if (this.writer == null) {
				super.close(status);
				return;
			}
			closeAfterWrites(status, -1);
		}

		void sendAndClose(WebSocketMessage<?> message, CloseStatus status, long lockWait) {
			if (this.writer != null) {
				this.writer.write(message);
				closeAfterWrites(status, lockWait);
				return;
			}
			boolean locked = false;
			try {
				if (lockWait < 0) {
					this.writeLock.lock();
					locked = true;
				}
				else {
					locked = this.writeLock.tryLock(lockWait, TimeUnit.MILLISECONDS);
				}
				if (locked && isOpen()) {
					super.sendMessage(message);
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Sending ERROR to session " + SessionLabels.of(getId()) + " failed", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				try {
					WebSocketConnections.close(getDelegate(), status);
				}
				finally {
					if (locked) {
						this.writeLock.unlock();
					}
				}
			}
		}

		// the frames queued before the close are written first, for at most maxWait
		// milliseconds (-1: the send time limit); the close runs on a closer thread, as
		// the container's close writes a frame too
		private void closeAfterWrites(CloseStatus status, long maxWait) {
			if (!this.closeRequested.compareAndSet(false, true)) {
				return;
			}
			this.writer.stop();
			AtomicBoolean done = new AtomicBoolean();
			this.writer.whenWritten(() -> {
				if (done.compareAndSet(false, true)) {
					closeOnCloser(status, false);
				}
			});
			if (!done.get()) {
				long wait = (maxWait >= 0) ? maxWait : (WebSocketConnections.this.sendTimeLimit != null)
						? WebSocketConnections.this.sendTimeLimit.toMillis() : 10_000;
				WebSocketConnections.this.scheduler.schedule(() -> {
					if (done.compareAndSet(false, true)) {
						closeOnCloser(status, true);
					}
				}, Instant.now().plusMillis(wait));
			}
		}

		private void closeOnCloser(CloseStatus status, boolean stuck) {
			Runnable close = () -> {
				if (stuck) {
					abandonWrites();
				}
				WebSocketConnections.close(getDelegate(), status);
			};
			try {
				WebSocketConnections.this.closer.execute(close);
			}
			catch (RuntimeException ex) {
				close.run();
			}
		}

		// on a closer thread: a ping is a blocking write in the jakarta.websocket API
		void ping() {
			if (this.closeRequested.get() || !this.pinging.compareAndSet(false, true)) {
				return;
			}
			Runnable ping = () -> {
				try {
					sendMessage(new PingMessage(ByteBuffer.wrap(PING)));
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Pinging session " + SessionLabels.of(getId()) + " failed", ex);
				}
				finally {
					this.pinging.set(false);
				}
			};
			try {
				WebSocketConnections.this.closer.execute(ping);
			}
			catch (RuntimeException ex) {
				this.pinging.set(false);
			}
		}

		void closeAsDead() {
			if (!this.closeRequested.compareAndSet(false, true)) {
				return;
			}
			logger.info("Closing WebSocket session " + SessionLabels.of(getId()) + ": nothing received for "
					+ WebSocketConnections.this.idleTimeout.toSeconds() + "s, not even an answer to a ping");
			closeOnCloser(IDLE, true);
		}

		// the writes are stuck: the close frame waits only briefly for them, then the
		// container drops the connection
		void abandonWrites() {
			if (this.writer != null) {
				this.writer.stop();
				this.writer.abandon();
			}
			setBlockingSendTimeout(getDelegate(), STUCK_CLOSE_TIMEOUT_MILLIS);
		}

	}

}
