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

package io.github.notifystomp.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling upgrade from Spring Boot 3.5 to 4.1: one sample node on Spring Boot 3.5 (this
 * JVM) and one on the main line (the sample's jar, in a JVM of its own) form one cluster.
 * Tokens, user messages and broadcasts cross in both directions, with signed relays.
 */
class MixedLineClusterTests {

	private static final String SECRET = "a-secret-shared-by-both-nodes-for-tokens";

	private static final String RELAY_SECRET = "a-relay-secret-shared-by-both-nodes-of-this-test";

	@Test
	void whenABoot35NodeAndABoot4NodeShareRedisThenMessagesCrossInBothDirections() throws Exception {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		List<String> cluster = List.of("--notify.stomp.cluster.enabled=true",
				"--spring.data.redis.url=" + RedisServers.url(),
				"--notify.stomp.cluster.key-prefix=" + RedisServers.freshKeyPrefix(),
				"--notify.stomp.cluster.relay-secret=" + RELAY_SECRET, "--sample.token.secret=" + SECRET);
		int boot4Port = freePort();
		try (MainLineNode boot4 = MainLineNode.start(boot4Port, cluster);
				ConfigurableApplicationContext boot35 = startHere(cluster)) {
			TestHttp onBoot4 = new TestHttp(boot4Port);
			TestHttp onBoot35 = new TestHttp(TestHttp.port(boot35));
			assertThat(onBoot4.get("/actuator/health").json().get("status").asText()).isEqualTo("UP");

			try (StompTestClient bob = StompTestClient.connect(boot4Port, token(onBoot35, "bob"));
					StompTestClient carol = StompTestClient.connect(TestHttp.port(boot35), token(onBoot4, "carol"))) {
				Subscription bobInbox = bob.subscribe("/user/queue/notify");
				Subscription carolInbox = carol.subscribe("/user/queue/notify");
				Subscription carolTopic = carol.subscribe("/topic/notify");
				NotifyTemplate template = boot35.getBean(NotifyTemplate.class);
				Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> template.isOnline("bob"));

				send(onBoot35, token(onBoot35, "alice"), "{\"to\":\"bob\",\"type\":\"text\",\"payload\":{\"n\":1}}");
				assertThat(bobInbox.next().body()).contains("\"n\":1").contains("\"from\":\"alice\"");

				send(onBoot4, token(onBoot4, "dave"), "{\"to\":\"carol\",\"type\":\"text\",\"payload\":{\"n\":2}}");
				assertThat(carolInbox.next().body()).contains("\"n\":2").contains("\"from\":\"dave\"");

				send(onBoot4, token(onBoot4, "dave"), "{\"type\":\"text\",\"payload\":{\"n\":3}}");
				assertThat(carolTopic.next().body()).contains("\"n\":3");
			}
		}
	}

	private static ConfigurableApplicationContext startHere(List<String> cluster) {
		List<String> args = new ArrayList<>(cluster);
		args.add("--server.port=0");
		args.add("--notify.stomp.cluster.node-id=boot35");
		args.add("--spring.datasource.url=jdbc:h2:mem:mixed-boot35;DB_CLOSE_DELAY=-1");
		return new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new));
	}

	private static String token(TestHttp node, String user) {
		TestHttp.Response response = node.post("/api/demo/token", "application/json", "{\"user\":\"" + user + "\"}");
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("token").asText();
	}

	private static void send(TestHttp node, String token, String body) {
		assertThat(
				node.post("/api/notifications", "application/json", body, "Authorization", "Bearer " + token).status())
			.isEqualTo(202);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The sample as built for the main line, run from its jar.
	 */
	private static final class MainLineNode implements AutoCloseable {

		private final Process process;

		private final Path log;

		private MainLineNode(Process process, Path log) {
			this.process = process;
			this.log = log;
		}

		static MainLineNode start(int port, List<String> cluster) throws IOException {
			File jar = new File("../../notify-stomp-sample/target/notify-stomp-sample.jar");
			assertThat(jar).as("the main line's sample jar; build the reactor (mvn -B verify) first").isFile();
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.getPath()));
			command.addAll(cluster);
			command.add("--server.port=" + port);
			command.add("--notify.stomp.cluster.node-id=boot4");
			command.add("--spring.datasource.url=jdbc:h2:mem:mixed-boot4;DB_CLOSE_DELAY=-1");
			Path log = Files.createTempFile("notify-boot4-node", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			MainLineNode node = new MainLineNode(process, log);
			try {
				TestHttp http = new TestHttp(port);
				Awaitility.await()
					.atMost(Duration.ofSeconds(90))
					.pollInterval(Duration.ofMillis(500))
					.ignoreExceptions()
					.until(() -> !process.isAlive() || http.get("/actuator/health").status() == 200);
				assertThat(process.isAlive()).as("the main-line node stopped; its log:%n%s", node.output()).isTrue();
				assertThat(node.output()).contains("Spring Boot ::                (v4.");
			}
			catch (RuntimeException | AssertionError ex) {
				node.close();
				throw ex;
			}
			return node;
		}

		String output() {
			try {
				return Files.readString(this.log);
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		@Override
		public void close() {
			this.process.destroy();
			try {
				if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
				Files.deleteIfExists(this.log);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// a leftover temporary file
			}
		}

	}

}
