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

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local services the suite needs, checked before it starts: Redis (required by the
 * cluster scenarios), PostgreSQL (the stored-messages scenario) and RabbitMQ with its
 * STOMP plugin (the broker-relay baseline). A missing service fails only what needs it,
 * with a message that says what to start.
 */
final class Services {

	private final Options options;

	private String redisProblem;

	private String redisVersion;

	private long redisPid = -1;

	private String postgresProblem;

	private String postgresVersion;

	private String rabbitProblem;

	private String rabbitNote;

	private long rabbitPid = -1;

	private int rabbitSocketLimit = -1;

	private Services(Options options) {
		this.options = options;
	}

	static Services check(Options options, Consumer<String> log) {
		Services services = new Services(options);
		services.checkRedis();
		services.checkPostgres();
		services.checkRabbit(log);
		return services;
	}

	private void checkRedis() {
		try (Resp redis = new Resp(this.options.redisHost(), this.options.redisPort())) {
			Object pong = redis.call("PING");
			if (!"PONG".equals(pong)) {
				this.redisProblem = "Redis answered PING with " + pong;
				return;
			}
			this.redisVersion = redis.info("server", "redis_version");
			String pid = redis.info("server", "process_id");
			this.redisPid = (pid != null) ? Long.parseLong(pid) : -1;
		}
		catch (IOException | RuntimeException ex) {
			this.redisProblem = "Redis is not reachable at " + this.options.redisHost() + ":" + this.options.redisPort()
					+ " (" + ex.getMessage() + "): start redis-server, or pass --redis=HOST:PORT";
		}
	}

	private void checkPostgres() {
		try (Connection connection = postgres();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select version()")) {
			result.next();
			this.postgresVersion = result.getString(1).replaceAll(" on .*", "");
		}
		catch (SQLException | RuntimeException ex) {
			this.postgresProblem = "PostgreSQL is not reachable at " + this.options.postgresUrl() + " as "
					+ this.options.postgresUser() + " (" + ex.getMessage()
					+ "): start PostgreSQL, or pass --postgres-url=... --postgres-user=...";
		}
	}

	private void checkRabbit(Consumer<String> log) {
		int port = this.options.rabbitStompPort();
		this.rabbitPid = ProcStats.find("beam", "rabbit");
		this.rabbitSocketLimit = readRabbitSocketLimit();
		if (isOpen(port)) {
			return;
		}
		if (!isOpen(5672)) {
			this.rabbitProblem = "RabbitMQ is not running (nothing on 127.0.0.1:5672 or :" + port
					+ "): start rabbitmq-server and enable its STOMP plugin (rabbitmq-plugins enable rabbitmq_stomp)";
			return;
		}
		String plugins = findOnPath("rabbitmq-plugins");
		if (plugins == null) {
			this.rabbitProblem = "RabbitMQ runs, but its STOMP plugin does not listen on " + port
					+ " and rabbitmq-plugins is not on the PATH: run rabbitmq-plugins enable rabbitmq_stomp";
			return;
		}
		log.accept("Enabling RabbitMQ's STOMP plugin: " + plugins + " enable rabbitmq_stomp");
		try {
			Process process = new ProcessBuilder(plugins, "enable", "rabbitmq_stomp").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				this.rabbitProblem = "rabbitmq-plugins enable rabbitmq_stomp failed: " + output.trim();
				return;
			}
			for (int i = 0; i < 60 && !isOpen(port); i++) {
				NodeProcess.sleep(500);
			}
			if (!isOpen(port)) {
				this.rabbitProblem = "the RabbitMQ STOMP plugin was enabled but nothing listens on " + port;
				return;
			}
			this.rabbitNote = "the suite enabled rabbitmq_stomp";
		}
		catch (IOException ex) {
			this.rabbitProblem = "rabbitmq-plugins could not run: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.rabbitProblem = "interrupted while enabling rabbitmq_stomp";
		}
	}

	// RabbitMQ accepts connections only up to its socket limit (derived from its open
	// file limit), and the broker relay opens one per client session
	private static int readRabbitSocketLimit() {
		String diagnostics = findOnPath("rabbitmq-diagnostics");
		if (diagnostics == null) {
			return -1;
		}
		try {
			Process process = new ProcessBuilder(diagnostics, "-q", "status").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			process.waitFor(30, TimeUnit.SECONDS);
			Matcher matcher = Pattern.compile("Sockets: \\d+, limit: (\\d+)").matcher(output);
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	Connection postgres() throws SQLException {
		return DriverManager.getConnection(this.options.postgresUrl(), this.options.postgresUser(),
				this.options.postgresPassword());
	}

	/**
	 * Create a fresh schema for a run.
	 */
	void createSchema(String schema) throws SQLException {
		try (Connection connection = postgres(); Statement statement = connection.createStatement()) {
			statement.execute("create schema " + schema);
		}
	}

	void dropSchema(String schema) {
		try (Connection connection = postgres(); Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + schema + " cascade");
		}
		catch (SQLException ex) {
			// left behind; the name says which run it belonged to
		}
	}

	long deleteRedisKeys(String prefix) {
		try (Resp redis = new Resp(this.options.redisHost(), this.options.redisPort())) {
			return redis.deleteKeys(prefix);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	String redisProblem() {
		return this.redisProblem;
	}

	long redisPid() {
		return this.redisPid;
	}

	String postgresProblem() {
		return this.postgresProblem;
	}

	String rabbitProblem() {
		return this.rabbitProblem;
	}

	/**
	 * Return how many connections RabbitMQ accepts, or -1 if unknown.
	 */
	int rabbitSocketLimit() {
		return this.rabbitSocketLimit;
	}

	long rabbitPid() {
		return this.rabbitPid;
	}

	Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("redis", (this.redisProblem != null) ? "MISSING: " + this.redisProblem
				: this.options.redisHost() + ":" + this.options.redisPort() + ", Redis " + this.redisVersion);
		description.put("postgresql", (this.postgresProblem != null) ? "MISSING: " + this.postgresProblem
				: this.options.postgresUrl() + ", " + this.postgresVersion);
		description.put("rabbitmq",
				(this.rabbitProblem != null) ? "MISSING: " + this.rabbitProblem
						: "STOMP on 127.0.0.1:" + this.options.rabbitStompPort()
								+ ((this.rabbitSocketLimit > 0) ? ", socket limit " + this.rabbitSocketLimit : "")
								+ ((this.rabbitNote != null) ? " (" + this.rabbitNote + ")" : ""));
		return description;
	}

	static boolean isOpen(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static String findOnPath(String command) {
		String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
				+ "/usr/lib/rabbitmq/bin";
		for (String directory : path.split(File.pathSeparator)) {
			File candidate = new File(directory, command);
			if (!directory.isEmpty() && candidate.canExecute()) {
				return candidate.getAbsolutePath();
			}
		}
		return null;
	}

}
