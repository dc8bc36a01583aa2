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

package io.github.notifystomp.benchmarks.client;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram in microseconds with log-linear buckets: exact below 128
 * µs, then 64 buckets per power of two (at most 1.6 % error), up to about 12 days.
 */
public final class LatencyHistogram {

	private static final int LINEAR = 128;

	private static final int SUB_BITS = 6;

	private static final int MAX_EXPONENT = 40;

	private final AtomicLongArray counts = new AtomicLongArray(LINEAR + (MAX_EXPONENT - 7 + 1) * (1 << SUB_BITS));

	/**
	 * Record one latency.
	 * @param micros the latency in microseconds; negative values count as 0
	 */
	public void record(long micros) {
		this.counts.incrementAndGet(index(Math.max(0, micros)));
	}

	/**
	 * Forget every recorded value.
	 */
	public void reset() {
		for (int i = 0; i < this.counts.length(); i++) {
			this.counts.set(i, 0);
		}
	}

	/**
	 * Return the number of recorded values.
	 * @return the count
	 */
	public long count() {
		long total = 0;
		for (int i = 0; i < this.counts.length(); i++) {
			total += this.counts.get(i);
		}
		return total;
	}

	/**
	 * Return a percentile.
	 * @param quantile between 0 and 1, e.g. 0.99
	 * @return the value in microseconds (the middle of its bucket), or -1 if nothing was
	 * recorded
	 */
	public long percentile(double quantile) {
		long[] snapshot = new long[this.counts.length()];
		long total = 0;
		for (int i = 0; i < snapshot.length; i++) {
			snapshot[i] = this.counts.get(i);
			total += snapshot[i];
		}
		if (total == 0) {
			return -1;
		}
		long rank = Math.max(1, (long) Math.ceil(quantile * total));
		long seen = 0;
		for (int i = 0; i < snapshot.length; i++) {
			seen += snapshot[i];
			if (seen >= rank) {
				return middle(i);
			}
		}
		return middle(snapshot.length - 1);
	}

	static int index(long micros) {
		if (micros < LINEAR) {
			return (int) micros;
		}
		int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(micros));
		int sub = (int) ((micros >>> (exponent - SUB_BITS)) & ((1 << SUB_BITS) - 1));
		return LINEAR + (exponent - 7) * (1 << SUB_BITS) + sub;
	}

	static long middle(int index) {
		if (index < LINEAR) {
			return index;
		}
		int exponent = 7 + (index - LINEAR) / (1 << SUB_BITS);
		int sub = (index - LINEAR) % (1 << SUB_BITS);
		long width = 1L << (exponent - SUB_BITS);
		return (1L << exponent) + sub * width + width / 2;
	}

}
