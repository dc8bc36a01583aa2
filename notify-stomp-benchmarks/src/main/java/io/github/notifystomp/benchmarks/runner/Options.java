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

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The suite's command-line options and the sizes of each scenario. The full sizes are the
 * documented run; {@code --quick} shrinks every scenario for a smoke test.
 */
final class Options {

	static final List<String> ALL = List.of("S1", "S2", "S3", "S4", "S5");

	private final boolean quick;

	private final Set<String> scenarios;

	private final Path output;

	private final String redisHost;

	private final int redisPort;

	private final String postgresUrl;

	private final String postgresUser;

	private final String postgresPassword;

	private final int rabbitStompPort;

	private final int idleSessions;

	private final boolean skipBaselines;

	private final List<String> nodeJvmOptions;

	private final String container;

	private Options(boolean quick, Set<String> scenarios, Path output, String redisHost, int redisPort,
			String postgresUrl, String postgresUser, String postgresPassword, int rabbitStompPort, int idleSessions,
			boolean skipBaselines, List<String> nodeJvmOptions, String container) {
		this.quick = quick;
		this.scenarios = scenarios;
		this.output = output;
		this.redisHost = redisHost;
		this.redisPort = redisPort;
		this.postgresUrl = postgresUrl;
		this.postgresUser = postgresUser;
		this.postgresPassword = postgresPassword;
		this.rabbitStompPort = rabbitStompPort;
		this.idleSessions = idleSessions;
		this.skipBaselines = skipBaselines;
		this.nodeJvmOptions = nodeJvmOptions;
		this.container = container;
	}

	static Options parse(String[] args) {
		boolean quick = false;
		Set<String> scenarios = new LinkedHashSet<>(ALL);
		Path output = Path.of("benchmark-results");
		String redis = "127.0.0.1:6379";
		String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/test";
		String postgresUser = "postgres";
		String postgresPassword = "";
		int rabbitStompPort = 61613;
		Integer idle = null;
		boolean skipBaselines = false;
		List<String> nodeJvmOptions = List.of();
		String container = "tomcat";
		for (String arg : args) {
			String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
			if (arg.equals("--quick")) {
				quick = true;
			}
			else if (arg.startsWith("--only=")) {
				scenarios = new LinkedHashSet<>();
				for (String scenario : value.toUpperCase(Locale.ROOT).split(",")) {
					if (!ALL.contains(scenario.trim())) {
						throw new IllegalArgumentException("Unknown scenario " + scenario + "; known: " + ALL);
					}
					scenarios.add(scenario.trim());
				}
			}
			else if (arg.startsWith("--out=")) {
				output = Path.of(value);
			}
			else if (arg.startsWith("--redis=")) {
				redis = value;
			}
			else if (arg.startsWith("--postgres-url=")) {
				postgresUrl = value;
			}
			else if (arg.startsWith("--postgres-user=")) {
				postgresUser = value;
			}
			else if (arg.startsWith("--postgres-password=")) {
				postgresPassword = value;
			}
			else if (arg.startsWith("--rabbit-stomp-port=")) {
				rabbitStompPort = Integer.parseInt(value);
			}
			else if (arg.startsWith("--node-jvm-options=")) {
				nodeJvmOptions = List.of(value.trim().split("\\s+"));
			}
			else if (arg.startsWith("--container=")) {
				container = value.toLowerCase(Locale.ROOT);
				if (!container.equals("tomcat") && !container.equals("jetty")) {
					throw new IllegalArgumentException("Unknown container " + value + "; known: tomcat, jetty");
				}
			}
			else if (arg.equals("--skip-baselines")) {
				skipBaselines = true;
			}
			else if (arg.startsWith("--idle-sessions=")) {
				idle = Integer.parseInt(value);
			}
			else if (!arg.equals("--no-reexec")) {
				throw new IllegalArgumentException("Unknown option " + arg + "\n" + usage());
			}
		}
		int colon = redis.lastIndexOf(':');
		return new Options(quick, scenarios, output, redis.substring(0, colon),
				Integer.parseInt(redis.substring(colon + 1)), postgresUrl, postgresUser, postgresPassword,
				rabbitStompPort, (idle != null) ? idle : (quick ? 1000 : 50_000), skipBaselines, nodeJvmOptions,
				container);
	}

	static String usage() {
		return """
				Usage: java -jar notify-stomp-benchmarks.jar [options]
				  --quick                  small sizes, for a smoke test (a minute or two)
				  --only=S1,S2,...         run only these scenarios (S1..S5)
				  --out=DIR                results directory (default benchmark-results)
				  --redis=HOST:PORT        Redis (default 127.0.0.1:6379)
				  --postgres-url=JDBC_URL  PostgreSQL (default jdbc:postgresql://127.0.0.1:5432/test)
				  --postgres-user=USER     (default postgres)  --postgres-password=PASSWORD (default empty)
				  --rabbit-stomp-port=PORT RabbitMQ STOMP plugin port (default 61613)
				  --idle-sessions=N        idle sessions of S4 (default 50000), spread over the loopback
				                           source addresses 127.0.0.1, 127.0.0.2, ... (one per 20000, at least 2)
				  --node-jvm-options="..." extra JVM options for every server node
				  --container=NAME         the servlet container of the server nodes of S1, S2, S3 and S5:
				                           tomcat (default) or jetty (from notify-stomp-benchmarks-jetty.jar
				                           beside this jar); S4 runs on both
				  --skip-baselines         measure notify-stomp only (no ratios, targets need the baselines)
				""";
	}

	/**
	 * The servlet container the server nodes run on, {@code tomcat} or {@code jetty}.
	 */
	String container() {
		return this.container;
	}

	List<String> nodeJvmOptions() {
		return this.nodeJvmOptions;
	}

	boolean skipBaselines() {
		return this.skipBaselines;
	}

	boolean quick() {
		return this.quick;
	}

	boolean runs(String scenario) {
		return this.scenarios.contains(scenario);
	}

	Set<String> scenarios() {
		return this.scenarios;
	}

	Path output() {
		return this.output;
	}

	String redisHost() {
		return this.redisHost;
	}

	int redisPort() {
		return this.redisPort;
	}

	String postgresUrl() {
		return this.postgresUrl;
	}

	String postgresUser() {
		return this.postgresUser;
	}

	String postgresPassword() {
		return this.postgresPassword;
	}

	int rabbitStompPort() {
		return this.rabbitStompPort;
	}

	int idleSessions() {
		return this.idleSessions;
	}

	// scenario sizes: full, or quick

	int s1Users() {
		return this.quick ? 200 : 1000;
	}

	int s1UserMessages() {
		return this.quick ? 10_000 : 100_000;
	}

	int s1Broadcasts() {
		return this.quick ? 20 : 150;
	}

	int latencySeconds() {
		return this.quick ? 2 : 4;
	}

	int s2UsersPerNode() {
		return this.quick ? 50 : 250;
	}

	int s2MessagesPerNode() {
		return this.quick ? 3000 : 20_000;
	}

	int s2TargetRate() {
		return 20_000;
	}

	int s3UsersPerNode() {
		return this.quick ? 5 : 20;
	}

	int s3MessagesPerNode() {
		return this.quick ? 200 : 1000;
	}

	List<Integer> s3ClusterSizes() {
		return List.of(1, 2, 4, 8);
	}

	int s5Users() {
		return this.quick ? 50 : 200;
	}

	int s5Messages() {
		return this.quick ? 2000 : 40_000;
	}

	int senderThreads() {
		return 4;
	}

	// an application that sends from its request threads: Tomcat's default maximum of
	// 200; fewer in a quick run
	int s5SenderThreads() {
		return this.quick ? 32 : 200;
	}

}
