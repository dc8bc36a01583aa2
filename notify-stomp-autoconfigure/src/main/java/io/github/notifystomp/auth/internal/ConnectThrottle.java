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

package io.github.notifystomp.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused CONNECTs per client address and per token. A token that was refused a
 * few times within the window is refused again without being resolved (what a client in a
 * retry loop or an attacker replays costs the server nothing), and an address with too
 * many refused CONNECTs is reported. A valid token is never throttled, so that an
 * attacker behind a shared proxy or carrier address cannot lock out the users behind it;
 * guessing tokens is not this class's job (tokens must be unguessable).
 * <p>
 * The address is the one the application sees: behind a proxy, configure
 * {@code server.forward-headers-strategy} so that it is the client's and not the proxy's.
 */
public class ConnectThrottle {

	// a token refused this often within the window is refused without being resolved
	static final int TOKEN_REPEATS = 3;

	// bounds the memory an attacker with many addresses or tokens can make us spend
	private static final int MAX_ENTRIES = 100_000;

	private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

	private final Map<String, Failures> tokens = new ConcurrentHashMap<>();

	private final int maxFailures;

	private final long windowNanos;

	/**
	 * Create a throttle.
	 * @param maxFailures refused CONNECTs within the window after which an address is
	 * throttled; 0 turns throttling off
	 * @param window the time window
	 */
	public ConnectThrottle(int maxFailures, Duration window) {
		this.maxFailures = maxFailures;
		this.windowNanos = window.toNanos();
	}

	/**
	 * Return a short fingerprint of a token: enough to recognize it again, useless to
	 * anyone who reads it.
	 * @param token the token
	 * @return the fingerprint
	 */
	public static String fingerprint(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * Record a refused CONNECT.
	 * @param address the client address, or {@code null} if unknown
	 * @param tokenFingerprint the fingerprint of the refused token, or {@code null} when
	 * the CONNECT carried none
	 */
	public void recordFailure(String address, String tokenFingerprint) {
		if (this.maxFailures == 0) {
			return;
		}
		long now = System.nanoTime();
		count(this.addresses, address, now);
		count(this.tokens, tokenFingerprint, now);
	}

	/**
	 * Whether an address has just reached the limit of refused CONNECTs within the
	 * window: true once per window, for the refusal that reached it.
	 * @param address the client address, or {@code null} if unknown
	 * @return {@code true} if the address is to be reported now
	 */
	public boolean reachedLimit(String address) {
		return this.maxFailures > 0 && count(this.addresses, address) == this.maxFailures;
	}

	/**
	 * Whether a token was refused so often within the window that resolving it again is
	 * wasted work.
	 * @param tokenFingerprint the token's fingerprint
	 * @return {@code true} if it is to be refused without being resolved
	 */
	public boolean isRepeatedlyRefused(String tokenFingerprint) {
		return this.maxFailures > 0 && count(this.tokens, tokenFingerprint) >= TOKEN_REPEATS;
	}

	private int count(Map<String, Failures> failures, String key) {
		if (key == null) {
			return 0;
		}
		Failures entry = failures.get(key);
		return (entry != null && !entry.expired(System.nanoTime(), this.windowNanos)) ? entry.count : 0;
	}

	private void count(Map<String, Failures> failures, String key, long now) {
		if (key == null) {
			return;
		}
		if (failures.size() >= MAX_ENTRIES) {
			failures.values().removeIf((entry) -> entry.expired(now, this.windowNanos));
		}
		failures.compute(key, (ignored, entry) -> (entry == null || entry.expired(now, this.windowNanos))
				? new Failures(now, 1) : new Failures(entry.start, entry.count + 1));
	}

	private record Failures(long start, int count) {

		boolean expired(long now, long windowNanos) {
			return now - this.start > windowNanos;
		}

	}

}
