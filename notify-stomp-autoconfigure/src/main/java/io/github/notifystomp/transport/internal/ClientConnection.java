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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * A connection whose frames are written in order, an ERROR and the close that follows it
 * never overtaking a frame being written. On a {@code jakarta.websocket} container the
 * writes are asynchronous: no thread waits for a client that does not read, and a close
 * waits for the frames queued before it (up to the send time limit) on a thread of the
 * registry. Elsewhere every write takes one lock.
 */
final class ClientConnection extends WebSocketSessionDecorator {

	private static final Log logger = LogFactory.getLog(ClientConnection.class);

	// how long the close of a connection whose writes are stuck waits to write its close
	// frame before the container drops the connection
	private static final long STUCK_CLOSE_TIMEOUT_MILLIS = 200;

	// how long a message may wait in Spring's session buffer before the next one is let
	// through to bring it along
	private static final long ARRIVAL_WAIT_MILLIS = 100;

	private static final CloseStatus IDLE = CloseStatus.GOING_AWAY.withReason("No activity");

	private static final byte[] PING = "notify-stomp".getBytes(StandardCharsets.US_ASCII);

	private final TaskScheduler scheduler;

	// closes and pings, which are blocking writes in the jakarta.websocket API
	private final Executor closer;

	private final Duration sendTimeLimit;

	private final Duration idleTimeout;

	private static final VarHandle CLOSE_REQUESTED;

	private static final VarHandle PINGING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CLOSE_REQUESTED = lookup.findVarHandle(ClientConnection.class, "closeRequested", boolean.class);
			PINGING = lookup.findVarHandle(ClientConnection.class, "pinging", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// flags and lazily created parts rather than objects of their own: an idle
	// connection should cost as little as it can

	// set through CLOSE_REQUESTED
	private volatile boolean closeRequested;

	// set through PINGING
	private volatile boolean pinging;

	private volatile long lastInbound = System.nanoTime();

	private final int messageSizeLimit;

	// created by the first message that comes in parts
	private PartialMessages partialMessages;

	// only for blocking writes, set with the writer
	private ReentrantLock writeLock;

	// whether the container's inbound buffers were sized by the starter, which then
	// keeps them at that size
	private volatile boolean inboundBuffersSized;

	// set once, before the connection is handed to Spring
	private AsyncWriter writer;

	ClientConnection(WebSocketSession delegate, TaskScheduler scheduler, Executor closer, Duration sendTimeLimit,
			Duration idleTimeout, int messageSizeLimit) {
		super(delegate);
		this.scheduler = scheduler;
		this.closer = closer;
		this.sendTimeLimit = sendTimeLimit;
		this.idleTimeout = idleTimeout;
		this.messageSizeLimit = messageSizeLimit;
	}

	/**
	 * Size the container's inbound buffers of this connection, when the container is
	 * Tomcat, and keep them at that size.
	 * @param size the buffer size
	 */
	void sizeInboundBuffers(int size) {
		this.inboundBuffersSized = TomcatSessions.sizeInboundBuffers(getDelegate(), size);
	}

	/**
	 * Take a message, or a part of one, from the client.
	 * @param part what the container handed over
	 * @return the whole message, or {@code null} while parts are missing, or when the
	 * message exceeds the largest frame allowed: the connection is then closed with
	 * status 1009
	 */
	WebSocketMessage<?> assemble(WebSocketMessage<?> part) {
		if (this.partialMessages == null) {
			if (part.isLast()) {
				return part;
			}
			this.partialMessages = new PartialMessages(this.messageSizeLimit);
		}
		try {
			return this.partialMessages.add(part);
		}
		catch (PartialMessages.TooLargeException ex) {
			logger.info("Closing WebSocket session " + SessionLabels.of(getId()) + ": " + ex.getMessage());
			try {
				close(CloseStatus.TOO_BIG_TO_PROCESS);
			}
			catch (IOException closeFailed) {
				logger.debug("Closing session " + SessionLabels.of(getId()) + " failed", closeFailed);
			}
			return null;
		}
	}

	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
		// Spring's STOMP support raises the buffer so that a whole frame fits; the
		// starter takes frames in parts instead and keeps the buffer small
		if (!this.inboundBuffersSized) {
			super.setTextMessageSizeLimit(messageSizeLimit);
		}
	}

	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		if (!this.inboundBuffersSized) {
			super.setBinaryMessageSizeLimit(messageSizeLimit);
		}
	}

	AsyncWriter writer() {
		return this.writer;
	}

	/**
	 * Set the writer, once, before the connection is handed to Spring.
	 * @param writer the asynchronous writer, or {@code null} for blocking writes
	 */
	void writer(AsyncWriter writer) {
		this.writer = writer;
		if (writer == null) {
			this.writeLock = new ReentrantLock();
		}
	}

	long accepted() {
		return (this.writer != null) ? this.writer.accepted() : -1;
	}

	// see AsyncWriter.whenReadyForMore
	void whenReadyForMore(long acceptedBefore, Runnable action) {
		if (this.writer == null) {
			action.run();
		}
		else if (this.writer.whenReadyForMore(acceptedBefore, action)) {
			// Spring leaves a message in its buffer when the thread that flushed it ended
			// just as the message came: the next one brings it along
			this.scheduler.schedule(() -> this.writer.stopWaitingForArrival(action),
					Instant.now().plusMillis(ARRIVAL_WAIT_MILLIS));
		}
	}

	boolean isCloseRequested() {
		return this.closeRequested;
	}

	// when the client last sent anything
	long lastInbound() {
		return this.lastInbound;
	}

	void received() {
		this.lastInbound = System.nanoTime();
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

	// closed as soon as the close is asked for, though it waits for the frames
	// before it
	@Override
	public boolean isOpen() {
		return !this.closeRequested && super.isOpen();
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
		if (!CLOSE_REQUESTED.compareAndSet(this, false, true)) {
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
			long wait = (maxWait >= 0) ? maxWait
					: (this.sendTimeLimit != null) ? this.sendTimeLimit.toMillis() : 10_000;
			this.scheduler.schedule(() -> {
				if (done.compareAndSet(false, true)) {
					closeOnCloser(status, true);
				}
			}, Instant.now().plusMillis(wait));
		}
	}

	void closeOnCloser(CloseStatus status, boolean stuck) {
		Runnable close = () -> {
			if (stuck) {
				closeStuck(status);
			}
			else {
				WebSocketConnections.close(getDelegate(), status);
			}
		};
		try {
			this.closer.execute(close);
		}
		catch (RuntimeException ex) {
			close.run();
		}
	}

	// on a closer thread: a ping is a blocking write in the jakarta.websocket API
	void ping() {
		if (this.closeRequested || !PINGING.compareAndSet(this, false, true)) {
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
				this.pinging = false;
			}
		};
		try {
			this.closer.execute(ping);
		}
		catch (RuntimeException ex) {
			this.pinging = false;
		}
	}

	void closeAsDead() {
		if (!CLOSE_REQUESTED.compareAndSet(this, false, true)) {
			return;
		}
		logger.info("Closing WebSocket session " + SessionLabels.of(getId()) + ": nothing received for "
				+ this.idleTimeout.toSeconds() + "s, not even an answer to a ping");
		closeOnCloser(IDLE, true);
	}

	// the writes are stuck, so would be the close frame behind them: on Tomcat the close
	// waits briefly, then Tomcat drops the connection; Jetty's is dropped at once
	private void closeStuck(CloseStatus status) {
		abandonWrites();
		if (!JettySessions.abort(getDelegate())) {
			WebSocketConnections.close(getDelegate(), status);
		}
	}

	// the writes are stuck: the close frame waits only briefly for them, then the
	// container drops the connection; calling it again does nothing more
	void abandonWrites() {
		if (this.writer != null) {
			this.writer.stop();
			this.writer.abandon();
		}
		TomcatSessions.limitBlockingWrites(getDelegate(), STUCK_CLOSE_TIMEOUT_MILLIS);
	}

}
