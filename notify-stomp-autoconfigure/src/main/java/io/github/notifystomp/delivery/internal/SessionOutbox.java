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

package io.github.notifystomp.delivery.internal;

import java.util.ArrayDeque;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * The outbound queue of one session: hands its messages to the
 * {@code clientOutboundChannel} one at a time, in order, and holds at most a bounded
 * number of messages and bytes. A session that stops reading fills its own queue only:
 * the message in flight is its only one in the channel, and everything behind it waits
 * here instead of in the channel's executor. The connection writes without holding the
 * outbound thread, and the next message leaves once the previous one is written, so a
 * session that stops reading holds no thread at all.
 * <p>
 * The next message leaves when the channel's executor has handled the previous one, which
 * {@link #configure(MessageChannel)} arranges with an interceptor on the channel.
 */
final class SessionOutbox {

	private static final Log logger = LogFactory.getLog(SessionOutbox.class);

	static final String ENTRY_HEADER = "notifyOutboxEntry";

	private final MessageChannel channel;

	private final int maxMessages;

	private final long maxBytes;

	private final boolean callbacks;

	private final DroppedMessages drops;

	private final OutboxConnection connection;

	// small at first (the default holds 16): idle connections are the many, and the
	// queue of a busy one grows once to what it needs
	private final ArrayDeque<Entry> queue = new ArrayDeque<>(2);

	private long bytes;

	// a thread is handing messages to the channel; others leave the queue to it
	private boolean dispatching;

	private boolean closed;

	// a replay that waits for room: run once the queue is down to half its limits, or
	// the outbox closed; it then offers again
	private Runnable roomWaiter;

	/**
	 * Create an outbox.
	 * @param channel the outbound channel
	 * @param callbacks what {@link #configure} returned for it
	 * @param maxMessages the most messages queued
	 * @param maxBytes the most payload bytes queued (a single larger message is still
	 * accepted into an empty queue)
	 */
	SessionOutbox(MessageChannel channel, boolean callbacks, int maxMessages, long maxBytes) {
		this(channel, callbacks, maxMessages, maxBytes, null, OutboxConnection.BLOCKING);
	}

	/**
	 * Create an outbox that reports the messages the channel did not take, and whose next
	 * message leaves only when the previous one is written to the connection, not merely
	 * handed to it.
	 * @param channel the outbound channel
	 * @param callbacks what {@link #configure} returned for it
	 * @param maxMessages the most messages queued
	 * @param maxBytes the most payload bytes queued (a single larger message is still
	 * accepted into an empty queue)
	 * @param drops told of a message the channel refused or failed, or {@code null}
	 * @param connection where the channel writes them, which tells when the next may go
	 */
	SessionOutbox(MessageChannel channel, boolean callbacks, int maxMessages, long maxBytes, DroppedMessages drops,
			OutboxConnection connection) {
		this.drops = drops;
		this.connection = connection;
		this.channel = channel;
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
		this.callbacks = callbacks;
	}

	/**
	 * Offer a message.
	 * @param message a mutable message for the session
	 * @param size its payload size
	 * @return whether the message was queued; {@link Offer#FULL} leaves the decision
	 * (drop or close) to the caller
	 */
	Offer offer(Message<?> message, int size) {
		return offer(message, size, 0);
	}

	/**
	 * Offer a message, waiting for room up to the given time: for replays, which run on
	 * threads of their own and must not outrun a client that reads.
	 * @param message a mutable message for the session
	 * @param size its payload size
	 * @param maxWaitNanos the longest wait for room, {@code 0} for none
	 * @return whether the message was queued
	 */
	Offer offer(Message<?> message, int size, long maxWaitNanos) {
		Entry entry = new Entry(message, size);
		synchronized (this) {
			// read the clock only when there is a wait: live messages never wait
			long deadline = (maxWaitNanos > 0 && !this.closed && isFull(size)) ? System.nanoTime() + maxWaitNanos : 0;
			while (!this.closed && isFull(size)) {
				long left = (maxWaitNanos > 0) ? deadline - System.nanoTime() : 0;
				if (left <= 0) {
					return Offer.FULL;
				}
				try {
					// woken when a message left the queue
					this.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return Offer.FULL;
				}
			}
			if (this.closed) {
				return Offer.CLOSED;
			}
			this.queue.add(entry);
			this.bytes += size;
			if (this.dispatching) {
				return Offer.QUEUED;
			}
			this.dispatching = true;
		}
		dispatch();
		return Offer.QUEUED;
	}

	/**
	 * Whether a message of the given size fits now; if not, the callback runs (on the
	 * thread that takes a message off the queue, or closes the outbox) once the queue is
	 * down to half its limits, so that a replay waits for room without holding a thread.
	 * Only the latest callback is kept: a session runs one replay at a time.
	 * @param size the payload size of the next message
	 * @param onRoom what to run once there is room
	 * @return {@code true} if the message fits now (or the outbox is closed, which an
	 * offer reports), {@code false} if the callback will run
	 */
	boolean hasRoomOrCall(int size, Runnable onRoom) {
		synchronized (this) {
			if (this.closed || !isFull(size)) {
				return true;
			}
			this.roomWaiter = onRoom;
			return false;
		}
	}

	/**
	 * Return the number of messages queued, the one in flight included.
	 * @return the count
	 */
	synchronized int size() {
		return this.queue.size();
	}

	/**
	 * Stop taking messages and forget the queued ones; the one in flight finishes.
	 * @return the number of messages forgotten
	 */
	int close() {
		Runnable waiter;
		int forgotten;
		synchronized (this) {
			waiter = this.roomWaiter;
			this.roomWaiter = null;
			forgotten = forget();
		}
		run(waiter);
		return forgotten;
	}

	private int forget() {
		this.closed = true;
		this.notifyAll();
		int forgotten = 0;
		Entry head = this.queue.peek();
		if (head != null && head.dispatched) {
			forgotten = this.queue.size() - 1;
			this.queue.clear();
			this.queue.add(head);
			this.bytes = head.size;
		}
		else {
			forgotten = this.queue.size();
			this.queue.clear();
			this.bytes = 0;
		}
		return forgotten;
	}

	private boolean isFull(int size) {
		return this.queue.size() >= this.maxMessages || (!this.queue.isEmpty() && this.bytes + size > this.maxBytes);
	}

	private void dispatch() {
		while (true) {
			Entry next;
			synchronized (this) {
				next = this.queue.peek();
				if (next == null || next.dispatched) {
					this.dispatching = false;
					return;
				}
				next.dispatched = true;
			}
			boolean handedOver = false;
			try {
				if (this.callbacks) {
					setEntryHeader(next);
				}
				boolean sent = this.channel.send(next.message);
				if (!sent) {
					// an interceptor stopped it (an expired token, the application's own)
					dropped("not-sent", next, null);
				}
				handedOver = sent && this.callbacks;
			}
			catch (RuntimeException ex) {
				logger.debug("Sending to a session failed", ex);
				dropped("send-failed", next, ex);
			}
			Runnable waiter;
			synchronized (this) {
				if (handedOver && this.queue.peek() == next) {
					// in flight: the channel's callback goes on with the next one
					this.dispatching = false;
					return;
				}
				waiter = remove(next);
			}
			run(waiter);
		}
	}

	private void dropped(String reason, Entry entry, RuntimeException failure) {
		if (this.drops != null) {
			this.drops.dropped(reason,
					() -> "a message for session "
							+ SessionLabels.of(SimpMessageHeaderAccessor.getSessionId(entry.message.getHeaders()))
							+ ((failure != null) ? ": " + rootCause(failure) : ""));
		}
	}

	private static String rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.toString();
	}

	// called on the outbound thread once the channel has handled a message
	private void handled(Entry entry) {
		Runnable waiter;
		boolean dispatchHere;
		synchronized (this) {
			waiter = remove(entry);
			// otherwise the dispatching thread sees the head is gone and goes on
			dispatchHere = !this.dispatching;
			this.dispatching = true;
		}
		run(waiter);
		if (dispatchHere) {
			dispatch();
		}
	}

	// returns the room waiter to run, outside the lock, once there is room
	private Runnable remove(Entry entry) {
		if (this.queue.peek() == entry) {
			this.queue.poll();
			this.bytes -= entry.size;
			this.notifyAll();
		}
		Runnable waiter = this.roomWaiter;
		if (waiter != null && this.queue.size() <= this.maxMessages / 2 && this.bytes <= this.maxBytes / 2) {
			this.roomWaiter = null;
			return waiter;
		}
		return null;
	}

	private static void run(Runnable waiter) {
		if (waiter != null) {
			try {
				waiter.run();
			}
			catch (RuntimeException ex) {
				logger.debug("Resuming a replay failed", ex);
			}
		}
	}

	private static void setEntryHeader(Entry entry) {
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(entry.message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null || !accessor.isMutable()) {
			throw new IllegalStateException("Expected a mutable message");
		}
		accessor.setHeader(ENTRY_HEADER, entry);
	}

	/**
	 * Prepare the outbound channel: an interceptor that starts the next message of a
	 * session when the executor has handled the previous one. Without an executor
	 * channel, messages are sent one after the other on the sending thread. Do it before
	 * the channel carries messages: the channel keeps its interceptors in a plain list,
	 * which every send walks.
	 * @param channel the {@code clientOutboundChannel}
	 * @return whether the channel calls back (it is an executor channel)
	 */
	static boolean configure(MessageChannel channel) {
		if (!(channel instanceof ExecutorSubscribableChannel executorChannel)) {
			return false;
		}
		synchronized (executorChannel) {
			if (!isConfigured(executorChannel)) {
				// first, so that an interceptor that stops a message cannot
				// skip the callback
				executorChannel.addInterceptor(0, new Callbacks());
			}
		}
		return true;
	}

	private static boolean isConfigured(MessageChannel channel) {
		return channel instanceof ExecutorSubscribableChannel executorChannel
				&& executorChannel.getInterceptors().stream().anyMatch(Callbacks.class::isInstance);
	}

	/**
	 * What became of an offered message.
	 */
	enum Offer {

		/**
		 * Queued for the session.
		 */
		QUEUED,

		/**
		 * Not queued: the outbox is at its limit.
		 */
		FULL,

		/**
		 * Not queued: the session is closing.
		 */
		CLOSED

	}

	private final class Entry {

		private final Message<?> message;

		private final int size;

		// guarded by the outbox
		private boolean dispatched;

		// what the connection had taken before the message was handled
		private long acceptedBefore;

		Entry(Message<?> message, int size) {
			this.message = message;
			this.size = size;
		}

		void beforeHandle() {
			this.acceptedBefore = SessionOutbox.this.connection.accepted();
		}

		void handled() {
			SessionOutbox.this.connection.whenReadyForMore(this.acceptedBefore, () -> SessionOutbox.this.handled(this));
		}

	}

	private static final class Callbacks implements ExecutorChannelInterceptor {

		@Override
		public Message<?> beforeHandle(Message<?> message, MessageChannel channel, MessageHandler handler) {
			if (message.getHeaders().get(ENTRY_HEADER) instanceof SessionOutbox.Entry entry) {
				entry.beforeHandle();
			}
			return message;
		}

		@Override
		public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
				Exception ex) {
			if (message.getHeaders().get(ENTRY_HEADER) instanceof SessionOutbox.Entry entry) {
				entry.handled();
			}
		}

	}

}
