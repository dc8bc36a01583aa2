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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.notifystomp.metrics.NotifyMetrics;

/**
 * Where the starter reports a message it drops, so that no loss is silent: each drop is
 * counted in {@code notify.stomp.messages.dropped} with its reason, and each reason is
 * logged as one WARN line at most once a minute, with how many were dropped for it since
 * the last line, so that a flood of drops does not flood the log.
 * <p>
 * Reasons are short and fixed: {@code slow-consumer}, {@code session-closed},
 * {@code not-subscribed}, {@code no-session}, {@code send-failed}, {@code not-sent},
 * {@code replay-overflow}, {@code draining}, {@code relay-unavailable},
 * {@code relay-failed}, {@code relay-queue-full}, {@code relay-gap},
 * {@code delivery-failed}, {@code route-failed}, {@code store-failed},
 * {@code attempts-exhausted} and {@code redelivery-queue-full}.
 */
public final class DroppedMessages {

	private static final Log logger = LogFactory.getLog(DroppedMessages.class);

	private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final NotifyMetrics metrics;

	private final LongSupplier nanoClock;

	private final Map<String, Reason> reasons = new ConcurrentHashMap<>();

	/**
	 * Create a reporter.
	 * @param metrics counts the drops
	 */
	public DroppedMessages(NotifyMetrics metrics) {
		this(metrics, System::nanoTime);
	}

	DroppedMessages(NotifyMetrics metrics, LongSupplier nanoClock) {
		this.metrics = metrics;
		this.nanoClock = nanoClock;
	}

	/**
	 * Report one dropped message.
	 * @param reason a short, fixed reason
	 * @param detail what was dropped and where, for the log: ids, never a payload or a
	 * token; asked for only when the line is logged
	 */
	public void dropped(String reason, Supplier<String> detail) {
		dropped(reason, 1, detail);
	}

	/**
	 * Report dropped messages.
	 * @param reason a short, fixed reason
	 * @param count how many; nothing happens for zero or less
	 * @param detail what was dropped and where, for the log: ids, never a payload or a
	 * token; asked for only when the line is logged
	 */
	public void dropped(String reason, int count, Supplier<String> detail) {
		if (count <= 0) {
			return;
		}
		for (int i = 0; i < count; i++) {
			this.metrics.messageDropped(reason);
		}
		Reason state = this.reasons.computeIfAbsent(reason, (key) -> new Reason());
		state.unlogged.addAndGet(count);
		long now = this.nanoClock.getAsLong();
		long last = state.lastLogged.get();
		boolean first = last == Reason.NEVER;
		if ((first || now - last >= INTERVAL_NANOS) && state.lastLogged.compareAndSet(last, now)) {
			long dropped = state.unlogged.getAndSet(0);
			logger.warn("notify-stomp dropped " + dropped + " message(s) " + (first ? "" : "in the last minute ")
					+ "(reason: " + reason + ", counted in notify.stomp.messages.dropped); latest: " + detail.get());
		}
	}

	private static final class Reason {

		static final long NEVER = Long.MIN_VALUE;

		final AtomicLong lastLogged = new AtomicLong(NEVER);

		final AtomicLong unlogged = new AtomicLong();

	}

}
