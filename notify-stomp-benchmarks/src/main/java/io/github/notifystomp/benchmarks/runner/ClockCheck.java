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

package io.github.notifystomp.benchmarks.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks that {@link System#nanoTime()} is one clock for every JVM on this machine, which
 * the latency figures depend on (the sender stamps the payload, the client subtracts). On
 * Linux HotSpot reads {@code CLOCK_MONOTONIC}, which is system-wide; this check starts a
 * child JVM that prints its {@code nanoTime()} and verifies the value falls between this
 * JVM's readings just before the child started and just after its line was read.
 * Different clocks (or offsets) would miss that window by far more than its width.
 */
final class ClockCheck {

	private ClockCheck() {
	}

	static Map<String, Object> run() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("os", System.getProperty("os.name"));
		int passed = 0;
		long widest = 0;
		String failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				long before = System.nanoTime();
				Process child = new ProcessBuilder(Jar.java(), "-Xshare:auto", "-jar", Jar.path(), "clock").start();
				String line;
				try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
					line = reader.readLine();
				}
				long after = System.nanoTime();
				child.waitFor(10, TimeUnit.SECONDS);
				long childNanos = Long.parseLong(line.trim());
				widest = Math.max(widest, after - before);
				if (childNanos >= before && childNanos <= after) {
					passed++;
				}
				else {
					failure = "child nanoTime " + childNanos + " outside [" + before + ", " + after + "]";
				}
			}
			catch (IOException | RuntimeException ex) {
				failure = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure = "interrupted";
			}
		}
		result.put("status", (passed == 3) ? "PASS" : "FAIL");
		result.put("detail", (passed == 3)
				? "a child JVM's System.nanoTime() fell inside this JVM's bracketing readings 3 of 3 times"
						+ " (window up to " + widest / 1_000_000 + " ms): one clock (CLOCK_MONOTONIC) for all JVMs"
				: failure);
		return result;
	}

}
