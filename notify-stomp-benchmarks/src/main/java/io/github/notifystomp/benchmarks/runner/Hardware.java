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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine the suite ran on: CPU model, cores, memory, JDK, OS and load.
 */
final class Hardware {

	private Hardware() {
	}

	static Map<String, Object> describe() {
		Map<String, Object> hardware = new LinkedHashMap<>();
		hardware.put("cpu", firstValue("/proc/cpuinfo", "model name"));
		hardware.put("cores", Runtime.getRuntime().availableProcessors());
		String memory = firstValue("/proc/meminfo", "MemTotal");
		hardware.put("memoryGiB", (memory != null)
				? String.format("%.1f", Long.parseLong(memory.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) : null);
		hardware.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		String os = firstValue("/etc/os-release", "PRETTY_NAME");
		hardware.put("os", ((os != null) ? os.replace("\"", "") : System.getProperty("os.name")) + ", kernel "
				+ System.getProperty("os.version"));
		hardware.put("clocksource", read("/sys/devices/system/clocksource/clocksource0/current_clocksource"));
		return hardware;
	}

	/**
	 * Return the 1, 5 and 15 minute load averages.
	 */
	static String loadAverage() {
		String load = read("/proc/loadavg");
		if (load == null) {
			return "unknown";
		}
		String[] parts = load.split(" ");
		return parts[0] + " " + parts[1] + " " + parts[2];
	}

	private static String firstValue(String file, String key) {
		try {
			List<String> lines = Files.readAllLines(Path.of(file));
			for (String line : lines) {
				int separator = line.indexOf(line.contains(":") ? ':' : '=');
				if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
					return line.substring(separator + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// unknown
		}
		return null;
	}

	private static String read(String file) {
		try {
			return Files.readString(Path.of(file)).trim();
		}
		catch (IOException ex) {
			return null;
		}
	}

}
