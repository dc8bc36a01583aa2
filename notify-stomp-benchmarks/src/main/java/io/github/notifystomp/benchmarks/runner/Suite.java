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
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the whole suite: checks the clock and the services, measures the Redis ceiling,
 * runs the scenarios, prints the results table with the targets, and writes
 * {@code results.json} and {@code results.txt} under the results directory.
 */
public final class Suite {

	/**
	 * The documented command.
	 */
	static final String COMMAND = "mvn -q -B -Pbenchmarks -DskipTests package -pl notify-stomp-benchmarks -am"
			+ " && java -jar notify-stomp-benchmarks/target/notify-stomp-benchmarks.jar";

	private Suite() {
	}

	/**
	 * Print the summary of JFR recordings, as the suite files it for a profile.
	 * @param files the recordings
	 */
	public static void summarize(String[] files) {
		Map<String, Object> summary = JfrSummary.summarize(Arrays.stream(files).map(Path::of).toList(), 15);
		Report report = new Report();
		report.profile(String.join(", ", files), summary);
		System.out.println(report.render(true));
	}

	/**
	 * Return the options the suite accepts.
	 * @return the usage text
	 */
	public static String usage() {
		return Options.usage();
	}

	/**
	 * Run the suite.
	 * @param args the options ({@code --help} lists them)
	 * @return the exit code: 0, or 1 if a scenario could not run
	 */
	public static int run(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(Options.usage());
			return 2;
		}
		String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path runDirectory = options.output().resolve(runId);
		byte[] random = new byte[36];
		new SecureRandom().nextBytes(random);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		Report report = new Report();
		long started = System.nanoTime();
		String loadBefore = Hardware.loadAverage();
		Map<String, Object> hardware = Hardware.describe();
		System.out.println("notify-stomp benchmark suite, run " + runId + (options.quick() ? " (quick)" : ""));
		System.out.println("hardware: " + hardware);
		System.out.println("load average before: " + loadBefore);
		Services services = Services.check(options, System.out::println);
		Bench bench = new Bench(options, services, report, runId, runDirectory, secret);
		Thread cleanup = new Thread(() -> {
			bench.stopAll();
			if (services.redisProblem() == null) {
				services.deleteRedisKeys(bench.keyPrefix());
			}
		}, "bench-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("id", runId);
		run.put("command", COMMAND + (args.length > 0 ? " " + String.join(" ", args).replace("--no-reexec", "") : ""));
		run.put("mode", options.quick() ? "quick" : "full");
		run.put("scenarios", options.scenarios());
		run.put("container", options.container());
		run.put("loadAverageBefore", loadBefore);
		report.put("run", run);
		report.put("hardware", hardware);
		report.put("services", services.describe());
		services.describe().forEach((name, state) -> bench.log(name + ": " + state));
		Map<String, Object> clock = ClockCheck.run();
		report.put("clock", clock);
		bench.log("clock: " + clock.get("status") + ", " + clock.get("detail"));
		if (services.redisProblem() == null) {
			Map<String, Object> redis = RedisPublishBaseline.run(options, bench.keyPrefix() + "-publish", 330,
					options.quick() ? 20_000 : 200_000);
			report.put("redisPublishBaseline", redis);
			bench.log("redis-benchmark PUBLISH: " + redis);
		}
		else {
			report.put("redisPublishBaseline", Map.of("status", "NOT MEASURED: " + services.redisProblem()));
		}
		try {
			if (options.runs("S1") || options.runs("S4") || options.runs("S5")) {
				new SingleNodeScenarios(bench).run();
			}
			if (options.runs("S2")) {
				new CrossNodeScenario(bench).run();
			}
			if (options.runs("S3")) {
				new RelayCostScenario(bench).run();
			}
			if (options.runs("S5")) {
				new StoredMessagesScenario(bench).run();
			}
		}
		finally {
			bench.stopAll();
			if (services.redisProblem() == null) {
				services.deleteRedisKeys(bench.keyPrefix());
			}
		}
		run.put("loadAverageAfter", Hardware.loadAverage());
		run.put("durationSeconds", Math.round((System.nanoTime() - started) / 1e9));
		String text = report.render(true);
		System.out.println(text);
		try {
			report.write(runDirectory, true);
			Files.copy(runDirectory.resolve("results.json"), options.output().resolve("results.json"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.copy(runDirectory.resolve("results.txt"), options.output().resolve("results.txt"),
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			System.err.println("Could not write the results: " + ex);
			return 1;
		}
		System.out.printf("load average after: %s; suite ran %d s; results: %s%n", run.get("loadAverageAfter"),
				run.get("durationSeconds"), runDirectory.resolve("results.json").toAbsolutePath());
		Runtime.getRuntime().removeShutdownHook(cleanup);
		return report.hasProblems() ? 1 : 0;
	}

}
