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

package io.github.notifystomp.test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis for the tests, found or started without asking for anything but a JDK. The shared
 * server comes from, in this order: {@code REDIS_URL}; {@code redis://127.0.0.1:6379} if
 * it answers PING; a Testcontainers {@code redis:7} container when Docker is available; a
 * {@code redis-server} process started here on a free port (the binary on PATH, else the
 * one shipped in {@code com.github.codemonstur:embedded-redis}). If none works the test
 * fails with what was tried; it never skips.
 * <p>
 * Tests that kill or restart Redis get their own server ({@link #ownServer()}); Redis
 * Cluster tests get a local three-master cluster ({@link #startCluster()}). Processes and
 * their directories are removed on close, and at the latest when the JVM exits.
 */
public final class RedisServers {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	private static final Object LOCK = new Object();

	private static String sharedUrl;

	private static String sharedSource;

	private static Path binary;

	private RedisServers() {
	}

	/**
	 * Return the URL of the shared Redis, finding or starting it on first use.
	 */
	public static String url() {
		synchronized (LOCK) {
			if (sharedUrl == null) {
				findShared();
			}
			return sharedUrl;
		}
	}

	/**
	 * Return where the shared Redis came from, for messages.
	 */
	public static String source() {
		url();
		return sharedSource;
	}

	/**
	 * Return a key prefix no other test run uses.
	 */
	public static String freshKeyPrefix() {
		return "nstest-" + UUID.randomUUID().toString().substring(0, 12);
	}

	/**
	 * Return a server of the test's own on a free port, not started yet.
	 */
	public static OwnServer ownServer() {
		return new OwnServer(freePort(false));
	}

	/**
	 * Return a server of the test's own on a free port, started with further
	 * {@code redis-server} arguments, not started yet.
	 */
	public static OwnServer ownServer(String... extraArgs) {
		return new OwnServer(freePort(false), List.of(extraArgs));
	}

	/**
	 * Start a local Redis Cluster of three masters (no replicas) on free ports.
	 */
	public static LocalCluster startCluster() {
		LocalCluster cluster = new LocalCluster();
		try {
			cluster.start();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Whether a Redis answers PING at the address.
	 */
	public static boolean answers(String host, int port) {
		try (Resp resp = Resp.connect(host, port, CONNECT_TIMEOUT)) {
			return "PONG".equals(resp.call("PING"));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Whether the server of a {@code redis://host:port} URL answers a PING within the
	 * given time (it does not while {@code DEBUG SLEEP} or {@code SIGSTOP} holds it).
	 */
	public static boolean answersWithin(String url, Duration timeout) {
		URI uri = URI.create(url);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			return socket.getInputStream().read() == '+';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Run one command against the server of a {@code redis://host:port} URL.
	 */
	public static Object call(String url, Object... command) {
		URI uri = URI.create(url);
		try (Resp resp = Resp.connect(uri.getHost(), uri.getPort(), Duration.ofSeconds(2))) {
			return resp.call(command);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Redis command " + command[0] + " at " + url + " failed", ex);
		}
	}

	private static void findShared() {
		List<String> tried = new ArrayList<>();
		String env = System.getenv("REDIS_URL");
		if (env != null && !env.isBlank()) {
			sharedUrl = env;
			sharedSource = "REDIS_URL";
			return;
		}
		tried.add("REDIS_URL: not set");
		if (answers("127.0.0.1", 6379)) {
			sharedUrl = "redis://127.0.0.1:6379";
			sharedSource = "local Redis on port 6379";
			return;
		}
		tried.add("redis://127.0.0.1:6379: no answer to PING");
		try {
			if (DockerClientFactory.instance().isDockerAvailable()) {
				GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
					.withExposedPorts(6379);
				container.start();
				Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
				sharedUrl = "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
				sharedSource = "Testcontainers redis:7";
				return;
			}
			tried.add("Testcontainers: no Docker engine");
		}
		catch (RuntimeException | LinkageError ex) {
			tried.add("Testcontainers: " + ex);
		}
		try {
			OwnServer server = ownServer();
			server.start();
			sharedUrl = server.url();
			sharedSource = "redis-server started by the tests (" + binary() + ")";
			return;
		}
		catch (RuntimeException ex) {
			tried.add("redis-server process: " + ex.getMessage());
		}
		throw new IllegalStateException("No Redis for the tests. Tried, in order: " + String.join("; ", tried)
				+ ". Set REDIS_URL, run a Redis on port 6379, start Docker, or put redis-server on the PATH.");
	}

	/**
	 * Return the redis-server binary: the one on PATH, else the one in embedded-redis.
	 */
	static Path binary() {
		synchronized (LOCK) {
			if (binary != null) {
				return binary;
			}
			List<String> tried = new ArrayList<>();
			String path = System.getenv("PATH");
			if (path != null) {
				for (String dir : path.split(File.pathSeparator)) {
					Path candidate = Path.of(dir, "redis-server");
					if (Files.isExecutable(candidate)) {
						binary = candidate;
						return binary;
					}
				}
			}
			tried.add("redis-server is not on the PATH");
			try {
				File file = ExecutableProvider.newJarResourceProvider().get();
				file.setExecutable(true);
				binary = file.toPath();
				return binary;
			}
			catch (IOException | RuntimeException ex) {
				tried.add("embedded-redis has no binary for this platform: " + ex.getMessage());
			}
			throw new IllegalStateException(String.join("; ", tried));
		}
	}

	/**
	 * Return the major version of the Redis at a URL.
	 */
	public static int majorVersion(String url) {
		String info = String.valueOf(call(url, "INFO", "server"));
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("redis_version:")) {
				return Integer.parseInt(line.substring(14).split("\\.")[0]);
			}
		}
		return 0;
	}

	static int freePort(boolean withBusPort) {
		for (int attempt = 0; attempt < 200; attempt++) {
			// Redis Cluster listens on port + 10000 as well
			int port = withBusPort ? ThreadLocalRandom.current().nextInt(20000, 40000) : 0;
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				if (!withBusPort) {
					return socket.getLocalPort();
				}
				try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
					return port;
				}
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("No free port found");
	}

	/**
	 * A redis-server process owned by a test: it may start, kill and restart it on the
	 * same port.
	 */
	public static final class OwnServer implements AutoCloseable {

		private final int port;

		private final List<String> extraArgs;

		private Process process;

		private Path dir;

		private boolean hooked;

		OwnServer(int port) {
			this(port, List.of());
		}

		OwnServer(int port, List<String> extraArgs) {
			this.port = port;
			this.extraArgs = extraArgs;
		}

		public int port() {
			return this.port;
		}

		public String url() {
			return "redis://127.0.0.1:" + this.port;
		}

		/**
		 * Start the server (again) and wait until it answers.
		 */
		public synchronized void start() {
			if (this.process != null && this.process.isAlive()) {
				return;
			}
			try {
				if (this.dir == null) {
					this.dir = Files.createTempDirectory("notify-stomp-redis-");
				}
				List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(this.port),
						"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString(),
						"--protected-mode", "no"));
				command.addAll(this.extraArgs);
				this.process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(this.dir.resolve("redis.log").toFile())
					.start();
				if (!this.hooked) {
					// no orphan redis-server if a test dies before closing it
					Runtime.getRuntime().addShutdownHook(new Thread(this::close));
					this.hooked = true;
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("redis-server could not be started: " + ex.getMessage(), ex);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (!answers("127.0.0.1", this.port)) {
				if (!this.process.isAlive() || System.nanoTime() > deadline) {
					String log = readLog();
					kill();
					throw new IllegalStateException("redis-server on port " + this.port + " did not answer: " + log);
				}
				sleep(50);
			}
		}

		/**
		 * Kill the server at once, as a crash would.
		 */
		public synchronized void kill() {
			if (this.process != null) {
				this.process.destroyForcibly();
				try {
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.process = null;
			}
		}

		/**
		 * Freeze the server (SIGSTOP): connections stay open, nothing answers.
		 */
		public synchronized void freeze() {
			signal("STOP");
		}

		/**
		 * Let a frozen server go on (SIGCONT).
		 */
		public synchronized void thaw() {
			signal("CONT");
		}

		private void signal(String signal) {
			if (this.process == null) {
				throw new IllegalStateException("redis-server on port " + this.port + " is not running");
			}
			try {
				Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid())).start();
				if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
					throw new IllegalStateException("kill -" + signal + " failed");
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("kill -" + signal + " failed: " + ex.getMessage(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		public synchronized boolean isRunning() {
			return this.process != null && this.process.isAlive();
		}

		@Override
		public synchronized void close() {
			kill();
			if (this.dir != null) {
				deleteTree(this.dir);
				this.dir = null;
			}
		}

		private String readLog() {
			try {
				String log = Files.readString(this.dir.resolve("redis.log"));
				return (log.length() > 2000) ? log.substring(log.length() - 2000) : log;
			}
			catch (IOException ex) {
				return "(no log)";
			}
		}

	}

	/**
	 * A local Redis Cluster: three masters, slots split evenly, no replicas.
	 */
	public static final class LocalCluster implements AutoCloseable {

		private final List<OwnServer> servers = new ArrayList<>();

		/**
		 * Return the nodes as {@code host:port}, the form of
		 * {@code spring.data.redis.cluster.nodes}.
		 */
		public List<String> nodes() {
			return this.servers.stream().map((server) -> "127.0.0.1:" + server.port()).toList();
		}

		/**
		 * Return the URLs of the masters.
		 */
		public List<String> urls() {
			return this.servers.stream().map(OwnServer::url).toList();
		}

		void start() {
			for (int i = 0; i < 3; i++) {
				OwnServer server = new OwnServer(freePort(true), List.of("--cluster-enabled", "yes",
						"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
				this.servers.add(server);
				server.start();
			}
			int[][] slots = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };
			for (int i = 0; i < 3; i++) {
				String url = this.servers.get(i).url();
				List<Object> command = new ArrayList<>();
				command.add("CLUSTER");
				command.add("ADDSLOTS");
				for (int slot = slots[i][0]; slot <= slots[i][1]; slot++) {
					command.add(slot);
				}
				call(url, command.toArray());
				call(url, "CLUSTER", "SET-CONFIG-EPOCH", i + 1);
			}
			for (int i = 1; i < 3; i++) {
				call(this.servers.get(0).url(), "CLUSTER", "MEET", "127.0.0.1", this.servers.get(i).port());
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!isReady()) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Local Redis Cluster did not become ready: "
							+ call(this.servers.get(0).url(), "CLUSTER", "INFO"));
				}
				sleep(100);
			}
		}

		private boolean isReady() {
			for (OwnServer server : this.servers) {
				Map<String, String> info = info(String.valueOf(call(server.url(), "CLUSTER", "INFO")));
				if (!"ok".equals(info.get("cluster_state")) || !"3".equals(info.get("cluster_known_nodes"))
						|| !"16384".equals(info.get("cluster_slots_ok"))) {
					return false;
				}
			}
			return true;
		}

		private static Map<String, String> info(String text) {
			Map<String, String> values = new HashMap<>();
			for (String line : text.split("\r?\n")) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					values.put(line.substring(0, colon), line.substring(colon + 1).trim());
				}
			}
			return values;
		}

		@Override
		public void close() {
			this.servers.forEach(OwnServer::close);
		}

	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: a temp dir
		}
	}

}
