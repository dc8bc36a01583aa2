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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * The writes to one WebSocket connection, made without holding the thread that asks for
 * them: one asynchronous write at a time through the container's
 * {@code jakarta.websocket} API, the others queued behind it. Spring writes with the
 * blocking API, so a client that stops reading holds the writing thread (a shared
 * outbound thread) until the send time limit; here it holds nothing but its own queue.
 * <p>
 * A write that does not end within the send time limit fails (the container then drops
 * the connection), and so does a queue over its byte limit; either way the connection is
 * given up once and its waiting callbacks run.
 * <p>
 * When several whole text messages wait behind the write in flight, the next write takes
 * them together as one WebSocket message, up to a byte limit: STOMP allows several
 * frames, each ending with NUL, in one message, and one write costs the container far
 * more than a few hundred bytes more in it. Only what already waits is joined; a lone
 * message is written at once, as before.
 */
final class AsyncWriter {

	private static final Log logger = LogFactory.getLog(AsyncWriter.class);

	private final String id;

	private final Session session;

	private final RemoteEndpoint.Async remote;

	// frames of a session handed to its connection before the earlier ones are written:
	// enough to keep a reading client's connection busy without a thread hop per frame,
	// few enough that the session's outbox still holds what waits
	static final int FRAMES_AHEAD = 2;

	// more small frames ahead when they are joined into one message: what waits behind
	// a write is what the next write can carry
	static final int SMALL_FRAMES_AHEAD = 16;

	private final long maxBytes;

	// the most payload bytes written together as one message; 0 writes each on its own
	private final int coalesceBytes;

	private final Consumer<Throwable> onFailure;

	// small at first (the default holds 16): idle connections are the many, and the
	// queue of a busy one grows once to what it needs
	private final ArrayDeque<WebSocketMessage<?>> queue = new ArrayDeque<>(2);

	// created by the first waiter, as an idle connection has none; guarded by this
	private List<WriteWaiter> waiters;

	private long bytes;

	// messages taken so far, for an outbox to tell whether its message got here
	private long accepted;

	// a write has started and not ended
	private boolean inFlight;

	// how many messages at the head of the queue the write in flight carries
	private int inFlightCount;

	// a thread is starting a write; a completion that comes meanwhile leaves the next
	// write to that thread, so completions on the writing thread never recurse
	private boolean starting;

	private boolean failed;

	private boolean stopped;

	AsyncWriter(String id, Session session, Duration sendTimeLimit, long maxBytes, int coalesceBytes,
			Consumer<Throwable> onFailure) {
		this.id = id;
		this.session = session;
		this.remote = session.getAsyncRemote();
		this.maxBytes = maxBytes;
		this.coalesceBytes = coalesceBytes;
		this.onFailure = onFailure;
		if (sendTimeLimit != null) {
			this.remote.setSendTimeout(sendTimeLimit.toMillis());
		}
	}

	/**
	 * Create a writer for a connection of a {@code jakarta.websocket} container.
	 * @param session the connection
	 * @param sendTimeLimit the longest one write may take, or {@code null} for the
	 * container's own limit
	 * @param maxBytes the most bytes queued behind the write in flight
	 * @param coalesceBytes the most payload bytes of waiting text messages written
	 * together as one message, {@code 0} to write each on its own
	 * @param onFailure run once when a write fails (with its exception) or the queue is
	 * over its limit (with {@code null})
	 * @return the writer, or {@code null} if the connection is not a
	 * {@code jakarta.websocket} one
	 */
	static AsyncWriter of(WebSocketSession session, Duration sendTimeLimit, long maxBytes, int coalesceBytes,
			Consumer<Throwable> onFailure) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return null;
		}
		Session standard = nativeSession.getNativeSession(Session.class);
		return (standard != null)
				? new AsyncWriter(session.getId(), standard, sendTimeLimit, maxBytes, coalesceBytes, onFailure) : null;
	}

	/**
	 * Queue a message and start writing it if nothing is in flight.
	 * @param message the message
	 * @return whether it was taken: not after a failure or {@link #stop()}
	 */
	boolean write(WebSocketMessage<?> message) {
		boolean overflow;
		List<Runnable> ready = List.of();
		synchronized (this) {
			if (this.failed || this.stopped) {
				return false;
			}
			int size = message.getPayloadLength();
			overflow = !this.queue.isEmpty() && this.bytes + size > this.maxBytes;
			if (overflow) {
				this.failed = true;
			}
			else {
				this.queue.add(message);
				this.bytes += size;
				this.accepted++;
				ready = takeReady();
			}
		}
		if (overflow) {
			fail(null);
			return false;
		}
		ready.forEach(AsyncWriter::runQuietly);
		pump();
		return true;
	}

	/**
	 * Take no further messages; the queued ones are still written.
	 */
	synchronized void stop() {
		this.stopped = true;
	}

	/**
	 * Run an action once every message queued so far is written, or at once if none is
	 * waiting or the writer failed.
	 * @param action the action
	 */
	void whenWritten(Runnable action) {
		whenAtMost(new WriteWaiter(0, 0, 0, -1, action));
	}

	/**
	 * Return how many messages the writer has taken so far.
	 * @return the count
	 */
	synchronized long accepted() {
		return this.accepted;
	}

	/**
	 * Run an action once the connection has room for another frame of its session's
	 * outbox: at most {@link #FRAMES_AHEAD} frames pending, or, when waiting frames are
	 * joined into one message, up to {@link #SMALL_FRAMES_AHEAD} small ones within the
	 * joining limit and half the byte limit (so that frames handed ahead never close a
	 * client that reads). Not before the writer has taken a message after the first
	 * {@code acceptedBefore}: a message handed to Spring's session while another thread
	 * writes waits in Spring's buffer, and counting it as written would let a session
	 * that does not read pile up its outbox there.
	 * @param acceptedBefore what {@link #accepted()} returned before the message was
	 * handed over
	 * @param action the action
	 * @return whether the action waits for the message to get here
	 */
	boolean whenReadyForMore(long acceptedBefore, Runnable action) {
		return !whenAtMost(new WriteWaiter(FRAMES_AHEAD, SMALL_FRAMES_AHEAD,
				Math.min(this.coalesceBytes, this.maxBytes / 2), acceptedBefore, action))
				&& accepted() <= acceptedBefore;
	}

	/**
	 * Stop waiting for the message a {@link #whenReadyForMore} action waits for: Spring
	 * leaves a message in its buffer when the thread that wrote ended just as it came,
	 * and only the next one brings it along.
	 * @param action the action given to {@link #whenReadyForMore}
	 */
	void stopWaitingForArrival(Runnable action) {
		List<Runnable> ready;
		synchronized (this) {
			if (this.waiters != null) {
				this.waiters.replaceAll((waiter) -> (waiter.action() == action) ? waiter.arrived() : waiter);
			}
			ready = takeReady();
		}
		ready.forEach(AsyncWriter::runQuietly);
	}

	// for tests: the action runs once at most maxPending messages are pending, or at
	// most maxSmall that hold at most maxBytes
	void whenAtMost(int maxPending, int maxSmall, long maxBytes, Runnable action) {
		whenAtMost(new WriteWaiter(maxPending, maxSmall, maxBytes, -1, action));
	}

	// runs the waiter's action at once, and returns true, if it is ready or the
	// writer failed
	private boolean whenAtMost(WriteWaiter waiter) {
		synchronized (this) {
			if (!this.failed && !waiter.ready(this.queue.size(), this.bytes, this.accepted)) {
				if (this.waiters == null) {
					this.waiters = new ArrayList<>(2);
				}
				this.waiters.add(waiter);
				return false;
			}
		}
		waiter.action().run();
		return true;
	}

	/**
	 * Give up the connection: forget what is queued and run the waiting actions.
	 */
	void abandon() {
		synchronized (this) {
			if (this.failed) {
				return;
			}
			this.failed = true;
		}
		List<Runnable> actions = clear();
		actions.forEach(AsyncWriter::runQuietly);
	}

	/**
	 * Return the number of messages waiting or in flight.
	 * @return the count
	 */
	synchronized int pending() {
		return this.queue.size();
	}

	private void pump() {
		while (true) {
			WebSocketMessage<?> next;
			TextMessage[] joined = null;
			List<Runnable> idle = null;
			synchronized (this) {
				if (this.inFlight || this.failed) {
					return;
				}
				next = this.queue.peek();
				if (next == null) {
					idle = takeReady();
					if (idle.isEmpty()) {
						return;
					}
				}
				else {
					this.inFlight = true;
					this.starting = true;
					joined = JoinedFrames.atHead(this.queue, this.coalesceBytes);
					this.inFlightCount = (joined != null) ? joined.length : 1;
				}
			}
			if (next == null) {
				idle.forEach(AsyncWriter::runQuietly);
				continue;
			}
			try {
				if (joined != null) {
					this.remote.sendText(JoinedFrames.join(joined), this::completed);
				}
				else {
					start(next);
				}
			}
			catch (IOException | RuntimeException ex) {
				completed(ex);
			}
			synchronized (this) {
				this.starting = false;
				if (this.inFlight || this.failed) {
					// the completion goes on with the next one
					return;
				}
			}
		}
	}

	private void start(WebSocketMessage<?> message) throws IOException {
		if (message instanceof TextMessage text && text.isLast()) {
			this.remote.sendText(text.getPayload(), this::completed);
		}
		else if (message instanceof BinaryMessage binary && binary.isLast()) {
			this.remote.sendBinary(binary.getPayload(), this::completed);
		}
		else {
			// control frames and message parts, which Spring's STOMP support never
			// sends: written as Spring writes them
			if (message instanceof PingMessage ping) {
				this.remote.sendPing(ping.getPayload());
			}
			else if (message instanceof PongMessage pong) {
				this.remote.sendPong(pong.getPayload());
			}
			else if (message instanceof TextMessage text) {
				this.session.getBasicRemote().sendText(text.getPayload(), text.isLast());
			}
			else if (message instanceof BinaryMessage binary) {
				this.session.getBasicRemote().sendBinary(binary.getPayload(), binary.isLast());
			}
			completed((Throwable) null);
		}
	}

	private void completed(SendResult result) {
		completed(result.isOK() ? null : result.getException());
	}

	private void completed(Throwable failure) {
		boolean goOn;
		List<Runnable> ready = List.of();
		synchronized (this) {
			if (!this.inFlight) {
				return;
			}
			this.inFlight = false;
			for (int i = 0; i < this.inFlightCount; i++) {
				WebSocketMessage<?> done = this.queue.poll();
				if (done == null) {
					// forgotten meanwhile: the writer was given up
					break;
				}
				this.bytes -= done.getPayloadLength();
			}
			this.inFlightCount = 0;
			goOn = !this.starting;
			if (failure != null) {
				if (this.failed) {
					return;
				}
				this.failed = true;
			}
			else if (!this.queue.isEmpty()) {
				ready = takeReady();
			}
		}
		ready.forEach(AsyncWriter::runQuietly);
		if (failure != null) {
			fail(failure);
		}
		else if (goOn) {
			pump();
		}
	}

	private void fail(Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Giving up writes to session " + SessionLabels.of(this.id), failure);
		}
		List<Runnable> actions = clear();
		actions.forEach(AsyncWriter::runQuietly);
		runQuietly(() -> this.onFailure.accept(failure));
	}

	private synchronized List<Runnable> clear() {
		this.queue.clear();
		this.bytes = 0;
		List<Runnable> actions = new ArrayList<>();
		if (this.waiters != null) {
			this.waiters.forEach((waiter) -> actions.add(waiter.action()));
			this.waiters.clear();
		}
		return actions;
	}

	// guarded by this
	private List<Runnable> takeReady() {
		if (this.waiters == null || this.waiters.isEmpty()) {
			return List.of();
		}
		List<Runnable> ready = new ArrayList<>();
		int pending = this.queue.size();
		long pendingBytes = this.bytes;
		this.waiters.removeIf((waiter) -> {
			if (waiter.ready(pending, pendingBytes, this.accepted)) {
				ready.add(waiter.action());
				return true;
			}
			return false;
		});
		return ready;
	}

	private static void runQuietly(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.debug("An action after a write failed", ex);
		}
	}

}
