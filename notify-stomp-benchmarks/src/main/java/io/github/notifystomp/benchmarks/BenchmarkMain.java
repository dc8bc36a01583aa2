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

package io.github.notifystomp.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.notifystomp.benchmarks.plain.PlainBrokerServer;
import io.github.notifystomp.benchmarks.relay.RabbitRelayServer;
import io.github.notifystomp.benchmarks.runner.Suite;
import io.github.notifystomp.benchmarks.server.NotifyBenchServer;

/**
 * The entry point of the benchmark jar. Without a role it runs the suite; the runner
 * starts server nodes from the same jar with a role: {@code server} (notify-stomp),
 * {@code plain} (Spring's simple broker), {@code relay} (Spring's broker relay to
 * RabbitMQ), {@code clock} (prints {@code System.nanoTime()}, for the clock check), or
 * {@code jfr-summary FILE...} (summarizes JFR recordings as the suite's profiles do).
 */
public final class BenchmarkMain {

	private static final long OPEN_FILES_NEEDED = 30_000;

	private BenchmarkMain() {
	}

	/**
	 * Run the suite or a role.
	 * @param args the role and its arguments, or the suite's options
	 * @throws Exception if the role fails to start
	 */
	public static void main(String[] args) throws Exception {
		String role = (args.length > 0) ? args[0] : "";
		String[] rest = (args.length > 0) ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch (role) {
			case "server" -> NotifyBenchServer.main(rest);
			case "plain" -> PlainBrokerServer.main(rest);
			case "relay" -> RabbitRelayServer.main(rest);
			case "clock" -> System.out.println(System.nanoTime());
			case "jfr-summary" -> Suite.summarize(rest);
			case "--help", "-h" -> System.out.println(Suite.usage());
			default -> System.exit(runSuite(args));
		}
	}

	// thousands of client connections need more open files than a shell usually allows:
	// run the suite again under a raised limit
	private static int runSuite(String[] args) throws IOException, InterruptedException {
		if (Arrays.asList(args).contains("--no-reexec") || openFileLimit() >= OPEN_FILES_NEEDED) {
			return Suite.run(args);
		}
		List<String> command = new ArrayList<>(List.of("sh", "-c",
				"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn) 2>/dev/null; exec \"$@\"", "sh"));
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		command.add("-jar");
		command.add(System.getProperty("java.class.path"));
		command.addAll(Arrays.asList(args));
		command.add("--no-reexec");
		return new ProcessBuilder(command).inheritIO().start().waitFor();
	}

	private static long openFileLimit() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
				if (line.startsWith("Max open files")) {
					String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
					return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: run as is
		}
		return Long.MAX_VALUE;
	}

}
