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

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a node by class, from {@code jcmd <pid> GC.class_histogram} (which
 * runs a full GC first), and the difference between two of them: what each added session
 * costs, class by class.
 */
final class ClassHistogram {

	private final Map<String, Long> bytes;

	private ClassHistogram(Map<String, Long> bytes) {
		this.bytes = bytes;
	}

	static ClassHistogram of(long pid) {
		Map<String, Long> bytes = new HashMap<>();
		String jcmd = ProcessHandle.current()
			.info()
			.command()
			.map((java) -> java.replaceAll("java$", "jcmd"))
			.orElse("jcmd");
		try {
			Process process = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram")
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			process.waitFor(60, TimeUnit.SECONDS);
			for (String line : output.split("\n")) {
				String[] parts = line.trim().split("\\s+");
				// " 1: 12345 678901 java.lang.String (java.base@17)"
				if (parts.length >= 4 && parts[0].endsWith(":")) {
					bytes.merge(parts[3], Long.parseLong(parts[2]), Long::sum);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no histogram: an empty one
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new ClassHistogram(bytes);
	}

	/**
	 * Return the classes that grew most since an earlier histogram, as bytes per session.
	 */
	List<String> growthPerSession(ClassHistogram before, int sessions, int top) {
		List<Map.Entry<String, Long>> growth = new ArrayList<>();
		for (Map.Entry<String, Long> entry : this.bytes.entrySet()) {
			long grew = entry.getValue() - before.bytes.getOrDefault(entry.getKey(), 0L);
			if (grew > 0) {
				growth.add(Map.entry(entry.getKey(), grew));
			}
		}
		growth.sort(Map.Entry.<String, Long>comparingByValue().reversed());
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, Long> entry : growth.subList(0, Math.min(top, growth.size()))) {
			lines.add(String.format("%7.2f KB %s", entry.getValue() / 1024.0 / Math.max(1, sessions), entry.getKey()));
		}
		return lines;
	}

	boolean isEmpty() {
		return this.bytes.isEmpty();
	}

}
