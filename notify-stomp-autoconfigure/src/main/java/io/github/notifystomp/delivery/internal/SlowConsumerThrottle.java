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
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, per user, the sessions closed because they did not read their messages, and
 * refuses that user's CONNECTs while more than a few were closed within a window. A
 * client that keeps opening sessions it never reads costs the node a connection, an
 * outbox and a close each time; past the limit it costs a refused CONNECT.
 */
public class SlowConsumerThrottle {

	/**
	 * The ERROR text of a CONNECT refused by the throttle.
	 */
	public static final String TOO_MANY_SLOW_SESSIONS = "Too many slow sessions, retry later";

	// bounds the memory many users make us spend: old entries are swept beyond it
	private static final int SWEEP_ABOVE = 10_000;

	private final Map<String, ArrayDeque<Long>> closes = new ConcurrentHashMap<>();

	private final int maxCloses;

	private final long windowNanos;

	/**
	 * Create a throttle.
	 * @param maxCloses sessions of one user closed as slow consumers within the window
	 * that are tolerated; 0 turns the throttle off
	 * @param window the time window
	 */
	public SlowConsumerThrottle(int maxCloses, Duration window) {
		this.maxCloses = maxCloses;
		this.windowNanos = window.toNanos();
	}

	/**
	 * Record a session of a user closed as a slow consumer.
	 * @param userId the user
	 */
	public void record(String userId) {
		if (this.maxCloses == 0 || userId == null) {
			return;
		}
		long now = System.nanoTime();
		if (this.closes.size() > SWEEP_ABOVE) {
			this.closes.keySet().forEach((user) -> retryAfterNanos(user, now));
		}
		this.closes.compute(userId, (key, times) -> {
			ArrayDeque<Long> counted = (times != null) ? times : new ArrayDeque<>();
			prune(counted, now);
			counted.addLast(now);
			// only the newest ones can matter
			while (counted.size() > this.maxCloses + 1) {
				counted.removeFirst();
			}
			return counted;
		});
	}

	/**
	 * Return how long a user's CONNECTs are still refused.
	 * @param userId the user
	 * @return the time left, or {@code null} if the user may connect
	 */
	public Duration retryAfter(String userId) {
		if (this.maxCloses == 0 || userId == null) {
			return null;
		}
		long nanos = retryAfterNanos(userId, System.nanoTime());
		return (nanos > 0) ? Duration.ofNanos(nanos) : null;
	}

	private long retryAfterNanos(String userId, long now) {
		long[] left = new long[1];
		this.closes.computeIfPresent(userId, (key, times) -> {
			prune(times, now);
			if (times.size() > this.maxCloses) {
				// refused until the oldest counted close leaves the window
				left[0] = times.peekFirst() + this.windowNanos - now;
			}
			return times.isEmpty() ? null : times;
		});
		return left[0];
	}

	private void prune(ArrayDeque<Long> times, long now) {
		while (!times.isEmpty() && now - times.peekFirst() >= this.windowNanos) {
			times.removeFirst();
		}
	}

}
