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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical ceiling of the relay hop: {@code redis-benchmark} PUBLISH of a message of
 * the size of a relay envelope to a channel with one subscriber (a {@code redis-cli
 * SUBSCRIBE} that reads and discards), without and with pipelining.
 */
final class RedisPublishBaseline {

	private static final Pattern RATE = Pattern.compile("([0-9.]+) requests per second");

	private RedisPublishBaseline() {
	}

	static Map<String, Object> run(Options options, String channel, int messageLength, int requests) {
		Map<String, Object> result = new LinkedHashMap<>();
		String benchmark = Services.findOnPath("redis-benchmark");
		String cli = Services.findOnPath("redis-cli");
		if (benchmark == null || cli == null) {
			result.put("status",
					"NOT MEASURED: redis-benchmark" + ((cli == null) ? " or redis-cli" : "") + " is not on the PATH");
			return result;
		}
		String host = options.redisHost();
		String port = Integer.toString(options.redisPort());
		Process subscriber = null;
		try {
			subscriber = new ProcessBuilder(cli, "-h", host, "-p", port, "SUBSCRIBE", channel)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectErrorStream(true)
				.start();
			NodeProcess.sleep(300);
			String message = "x".repeat(messageLength);
			result.put("messageBytes", messageLength);
			result.put("subscribers", 1);
			result.put("clients", 50);
			result.put("publishPerSecond", rate(benchmark, host, port, requests, 1, channel, message));
			result.put("publishPerSecondPipelined16", rate(benchmark, host, port, requests * 2, 16, channel, message));
			result.put("status", "measured");
		}
		catch (IOException | RuntimeException ex) {
			result.put("status", "NOT MEASURED: " + ex.getMessage());
		}
		finally {
			if (subscriber != null) {
				subscriber.destroy();
			}
		}
		return result;
	}

	private static double rate(String benchmark, String host, String port, int requests, int pipeline, String channel,
			String message) throws IOException {
		List<String> command = new ArrayList<>(List.of(benchmark, "-h", host, "-p", port, "-q", "-c", "50", "-n",
				Integer.toString(requests), "-P", Integer.toString(pipeline), "PUBLISH", channel, message));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		try {
			process.waitFor(120, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Matcher matcher = RATE.matcher(output.replace('\r', '\n'));
		double last = -1;
		while (matcher.find()) {
			last = Double.parseDouble(matcher.group(1));
		}
		if (last < 0) {
			throw new IOException("redis-benchmark printed no rate: " + output.trim());
		}
		return last;
	}

}
