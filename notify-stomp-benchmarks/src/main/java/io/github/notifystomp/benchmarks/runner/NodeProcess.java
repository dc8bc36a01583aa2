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
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server node running as a child JVM of the runner: the module's own jar with a role
 * switch ({@code server}, {@code plain} or {@code relay}), an explicit heap, its own
 * port, and a raised open-file limit (set by a {@code sh} wrapper that then {@code exec}s
 * the JVM, so the pid is the JVM's). Its output goes to a log file of the run.
 */
final class NodeProcess implements AutoCloseable {

	static final int OPEN_FILES = 65536;

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private NodeProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start a node; {@link #awaitReady} waits until it answers.
	 * @param name the node name, also its log file name
	 * @param role the role switch of the jar
	 * @param jvmOptions heap and GC options
	 * @param arguments Spring Boot arguments (without the port)
	 * @param container the servlet container, {@code tomcat} or {@code jetty}
	 * @param logs the directory of log files
	 */
	static NodeProcess start(String name, String role, List<String> jvmOptions, List<String> arguments,
			String container, Path logs) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add("sh");
		command.add("-c");
		// raise the soft limit as far as allowed, then become the JVM
		command.add("ulimit -n " + OPEN_FILES + " 2>/dev/null || ulimit -n $(ulimit -Hn) 2>/dev/null; exec \"$@\"");
		command.add("sh");
		command.add(Jar.java());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(Jar.serverPath(container));
		command.add(role);
		command.add("--server.port=" + port);
		command.addAll(arguments);
		Path log = logs.resolve(name + ".log");
		try {
			Files.createDirectories(logs);
			Files.writeString(log, String.join(" ", command) + System.lineSeparator());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			return new NodeProcess(name, port, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start node " + name, ex);
		}
	}

	/**
	 * Wait until the node answers on its benchmark endpoint.
	 * @param http the HTTP client
	 * @param timeout the longest wait
	 * @return this node
	 */
	NodeProcess awaitReady(NodeHttp http, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Node " + this.name + " exited with " + this.process.exitValue()
						+ "; its log ends with:\n" + tail(30));
			}
			if (http.status(this.port, "/bench/stats") == 200) {
				return this;
			}
			sleep(250);
		}
		throw new IllegalStateException(
				"Node " + this.name + " did not start within " + timeout + "; its log ends with:\n" + tail(30));
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	long cpuNanos() {
		return ProcStats.cpuNanos(pid());
	}

	long rssBytes() {
		return ProcStats.rssBytes(pid());
	}

	String tail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | RuntimeException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/**
	 * Stop the node: SIGTERM (Spring's graceful shutdown), then SIGKILL after 20 s.
	 */
	@Override
	public void close() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop nodes in parallel.
	 * @param nodes the nodes
	 */
	static void closeAll(List<NodeProcess> nodes) {
		nodes.forEach((node) -> {
			if (node.process.isAlive()) {
				node.process.destroy();
			}
		});
		nodes.forEach(NodeProcess::close);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
