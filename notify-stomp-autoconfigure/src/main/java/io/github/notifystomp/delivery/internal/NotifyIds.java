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

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates notification ids: UUID version 7 (RFC 9562), time-ordered to the millisecond
 * and, within one node, strictly increasing.
 * <p>
 * An id names a message; it grants nothing: every read or mark of a stored message is
 * scoped to the user the session authenticated as, ACK tokens are separate random values
 * a session can only spend on its own messages, and the leading 48 bits are a timestamp
 * anyway. So the 62 random bits only need to keep ids of different nodes apart, not to be
 * unguessable: they come from {@link ThreadLocalRandom}, not a {@code SecureRandom},
 * whose shared lock and entropy source cost each message more than its JSON body.
 */
final class NotifyIds {

	// the last (millis << 12 | counter) handed
	// out, so ids from one node never go backwards
	private static final AtomicLong last = new AtomicLong();

	private NotifyIds() {
	}

	/**
	 * Return a new id.
	 * @return the id, 36 characters
	 */
	public static String next() {
		return next(System.currentTimeMillis());
	}

	/**
	 * Return a new id for a message of the given time.
	 * @param currentMillis the current time, in milliseconds since the epoch
	 * @return the id, 36 characters
	 */
	static String next(long currentMillis) {
		long now = currentMillis << 12;
		long stamp = last.updateAndGet((previous) -> Math.max(previous + 1, now));
		long millis = stamp >>> 12;
		long counter = stamp & 0xFFF;
		long high = (millis << 16) | 0x7000L | counter;
		long low = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

}
