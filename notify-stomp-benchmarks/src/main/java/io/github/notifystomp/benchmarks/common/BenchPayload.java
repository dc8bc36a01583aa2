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

package io.github.notifystomp.benchmarks.common;

/**
 * The payload of every benchmark message. The receiving client reads {@code t}, the
 * sender's {@link System#nanoTime()} at the send call, to measure latency with one clock
 * (CLOCK_MONOTONIC on Linux, shared by every JVM on the machine), and {@code p}, the
 * phase, to count only the messages of the phase it measures.
 *
 * @param t the sender's {@code System.nanoTime()} at the send call
 * @param p the phase number
 * @param d filler that brings the message to a typical notification size
 */
public record BenchPayload(long t, int p, String d) {

	/**
	 * Filler of 96 characters.
	 */
	public static final String FILLER = "x".repeat(96);

	/**
	 * Create a payload stamped now.
	 * @param phase the phase number
	 * @return the payload
	 */
	public static BenchPayload now(int phase) {
		return new BenchPayload(System.nanoTime(), phase, FILLER);
	}

}
