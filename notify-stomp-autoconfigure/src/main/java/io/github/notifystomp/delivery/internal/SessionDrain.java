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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Drains this node when its application context closes, before any bean stops (Spring's
 * own WebSocket handler would otherwise close every session with 1001 and nothing said):
 * refuses new CONNECTs, lets the {@link DrainParticipant}s act (the cluster removes this
 * node's presence at once), waits up to the drain timeout for the messages already in the
 * sessions' outboxes to be written, then closes each session with an ERROR frame that
 * tells the client to reconnect, after a random delay given in the
 * {@value #RECONNECT_AFTER} header, and close status 1012 (service restart). Stored
 * messages stay in the store for the replay of the clients' next sessions.
 */
public class SessionDrain implements ApplicationListener<ContextClosedEvent>, Ordered {

	/**
	 * The {@code message} header of the ERROR frames of a drain, and of CONNECTs refused
	 * during it.
	 */
	public static final String SHUTTING_DOWN = "Server is shutting down, reconnect";

	/**
	 * The ERROR frame header with the number of milliseconds the client should wait
	 * before it reconnects.
	 */
	public static final String RECONNECT_AFTER = "notify-reconnect-after";

	private static final Log logger = LogFactory.getLog(SessionDrain.class);

	// writing an ERROR frame and closing takes moments, unless a client reads nothing
	private static final Duration MIN_CLOSE_WAIT = Duration.ofSeconds(2);

	private final LocalSessions sessions;

	private final Supplier<List<DrainParticipant>> participants;

	private final Duration drainTimeout;

	private final Duration reconnectWindow;

	private final AtomicBoolean drained = new AtomicBoolean();

	/**
	 * Create the drain.
	 * @param sessions this node's sessions
	 * @param participants what else takes part, looked up when the drain starts
	 * @param drainTimeout the longest wait for queued messages to be written
	 * @param reconnectWindow clients are told to wait a random time up to this before
	 * they reconnect
	 */
	public SessionDrain(LocalSessions sessions, Supplier<List<DrainParticipant>> participants, Duration drainTimeout,
			Duration reconnectWindow) {
		this.sessions = sessions;
		this.participants = participants;
		this.drainTimeout = drainTimeout;
		this.reconnectWindow = reconnectWindow;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		drain();
	}

	/**
	 * Drain the node; only the first call does anything.
	 */
	public void drain() {
		if (!this.drained.compareAndSet(false, true)) {
			return;
		}
		long start = System.nanoTime();
		long deadline = start + this.drainTimeout.toNanos();
		this.sessions.startDraining();
		for (DrainParticipant participant : this.participants.get()) {
			try {
				participant.onDrain();
			}
			catch (RuntimeException ex) {
				logger.warn("notify-stomp drain: " + participant + " failed: " + ex);
			}
		}
		int sessionCount = this.sessions.sessionCount();
		while (this.sessions.pendingOutbound() > 0 && System.nanoTime() < deadline && pause()) {
			// the outbound threads write what is queued
		}
		int unwritten = this.sessions.pendingOutbound();
		List<CompletableFuture<Boolean>> closes = this.sessions.closeAllForRestart(SHUTTING_DOWN,
				() -> Map.of(RECONNECT_AFTER, Long.toString(reconnectDelay())));
		long closeDeadline = Math.max(deadline, System.nanoTime() + MIN_CLOSE_WAIT.toNanos());
		try {
			CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
				.get(Math.max(0, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("notify-stomp drain: some sessions were still closing when the drain ended");
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("notify-stomp drain: waiting for closes failed", ex);
		}
		if (sessionCount > 0 || unwritten > 0) {
			logger.info(
					"notify-stomp drained " + sessionCount + " session(s) in "
							+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms"
							+ ((unwritten > 0) ? "; " + unwritten
									+ " queued message(s) were not written (stored ones are" + " replayed on reconnect)"
									: ""));
		}
	}

	private long reconnectDelay() {
		long window = this.reconnectWindow.toMillis();
		return (window > 0) ? ThreadLocalRandom.current().nextLong(window + 1) : 0;
	}

	private static boolean pause() {
		try {
			Thread.sleep(10);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Runs before other listeners of the context's close, such as executors that stop
	 * taking tasks.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
