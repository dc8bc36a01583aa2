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

/**
 * Reads CPU time and resident memory of a process from {@code /proc} (Linux).
 */
final class ProcStats {

	private static final long CLOCK_TICKS = clockTicks();

	private ProcStats() {
	}

	/**
	 * Return the CPU time (user + system) a process has used.
	 * @param pid the process
	 * @return nanoseconds of CPU time, or -1 if unknown
	 */
	static long cpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			// the command name may contain spaces: fields are counted after its ')'
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1_000_000_000L / CLOCK_TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Return the resident set size of a process.
	 * @param pid the process
	 * @return bytes, or -1 if unknown
	 */
	static long rssBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown
		}
		return -1;
	}

	/**
	 * Return the soft limit on open files of a process.
	 * @param pid the process, or "self"
	 * @return the limit, or -1 if unknown
	 */
	static long openFileLimit(String pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
				if (line.startsWith("Max open files")) {
					String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
					return "unlimited".equals(parts[0]) ? Long.MAX_VALUE : Long.parseLong(parts[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown
		}
		return -1;
	}

	/**
	 * Find a process whose command line contains every one of the given words.
	 * @param words the words
	 * @return the pid, or -1 if none
	 */
	static long find(String... words) {
		return ProcessHandle.allProcesses().filter((process) -> {
			String line = process.info().commandLine().orElse("");
			for (String word : words) {
				if (!line.contains(word)) {
					return false;
				}
			}
			return true;
		}).mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
	}

	private static long clockTicks() {
		try {
			Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes()).trim();
			process.waitFor();
			return Long.parseLong(out);
		}
		catch (IOException | RuntimeException ex) {
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

}
