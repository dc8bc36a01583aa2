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

package io.github.notifystomp.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused CONNECTs per client address and throttles an address once it has too
 * many within a time window, so that guessing tokens costs a new handshake per attempt
 * and soon none at all.
 */
public class ConnectThrottle {

	// bounds the memory an attacker with many addresses can make us spend
	private static final int MAX_ADDRESSES = 100_000;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	private final int maxFailures;

	private final long windowNanos;

	/**
	 * Create a throttle.
	 * @param maxFailures refused CONNECTs within the window before the address is
	 * throttled; 0 turns throttling off
	 * @param window the time window
	 */
	public ConnectThrottle(int maxFailures, Duration window) {
		this.maxFailures = maxFailures;
		this.windowNanos = window.toNanos();
	}

	/**
	 * Record a refused CONNECT.
	 * @param address the client address, or {@code null} if unknown
	 */
	public void recordFailure(String address) {
		if (address == null || this.maxFailures == 0) {
			return;
		}
		long now = System.nanoTime();
		if (this.failures.size() >= MAX_ADDRESSES) {
			this.failures.values().removeIf((entry) -> entry.expired(now, this.windowNanos));
		}
		this.failures.compute(address, (key, entry) -> (entry == null || entry.expired(now, this.windowNanos))
				? new Failures(now, 1) : new Failures(entry.start, entry.count + 1));
	}

	/**
	 * Whether an address is throttled now.
	 * @param address the client address, or {@code null} if unknown
	 * @return {@code true} if its handshakes must be refused
	 */
	public boolean isThrottled(String address) {
		if (address == null || this.maxFailures == 0) {
			return false;
		}
		Failures entry = this.failures.get(address);
		return entry != null && !entry.expired(System.nanoTime(), this.windowNanos) && entry.count >= this.maxFailures;
	}

	private record Failures(long start, int count) {

		boolean expired(long now, long windowNanos) {
			return now - this.start > windowNanos;
		}

	}

}
