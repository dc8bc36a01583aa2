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
package io.github.notifystomp.cluster.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.delivery.internal.DrainParticipant;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.internal.SessionDrain;
import io.github.notifystomp.test.NonReadingClient;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that shuts down drains: it refuses new CONNECTs, leaves the cluster at once,
 * writes what is queued for its sessions, and then tells each client to reconnect
 * (elsewhere, after a random delay) with an ERROR frame and close status 1012.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulDrainTests {

	// the default lifecycle timeout of one shutdown phase
	private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(30);

	private final Map<String, Object> properties = new LinkedHashMap<>(Map.of("spring.data.redis.url",
			RedisServers.url(), "notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(),
			"notify.stomp.cluster.presence-lease", "3s", "notify.stomp.shutdown.reconnect-window", "2s"));

	private ClusterTestNode a;

	@BeforeAll
	void startNode() {
		this.a = ClusterTestNode.start("node-a", this.properties).awaitJoined();
	}

	@AfterAll
	void stopNode() {
		this.a.close();
	}

	@Test
	void whenANodeClosesThenClientsAreToldToReconnectAndItsPresenceIsGoneAtOnce() throws Exception {
		ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
		try (RawStompClient raw = RawStompClient.open(b.port());
				NonReadingClient socket = NonReadingClient.connect(b.port(), "valid-dora", 64 * 1024)) {
			raw.connect("valid-dora");
			raw.frame("SUBSCRIBE", "", "id:0", "destination:/user/queue/notify");
			// both sessions connected before the drain: the client that does not read
			// cannot wait for its CONNECTED frame itself
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.a.template().isOnline("dora") && b.sessions().sessionCount("dora") == 2);

			long start = System.nanoTime();
			b.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			// no waiting for a lease: the node left when it started draining
			assertThat(this.a.template().isOnline("dora")).isFalse();
			assertThat(this.a.presence().sessionsPerNode()).doesNotContainKey("node-b");
			String error = nextError(raw);
			assertThat(header(error, "message")).isEqualTo(SessionDrain.SHUTTING_DOWN);
			assertThat(Long.parseLong(header(error, SessionDrain.RECONNECT_AFTER))).isBetween(0L, 2000L);
			// read on a plain socket: Tomcat's WebSocket
			// client takes 1012 for a protocol error
			assertThat(socket.readUntilClosed()).isEqualTo(CloseStatus.SERVICE_RESTARTED.getCode());
			assertThat(took).isLessThan(LIFECYCLE_TIMEOUT);
		}
	}

	@Test
	void whenANodeClosesRightAfterSendingThenQueuedMessagesAreWrittenBeforeTheSessionsClose() {
		ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
		try (StompTestClient eve = b.connect("eve")) {
			Subscription inbox = eve.subscribe("/user/queue/notify");
			b.awaitUserSubscriptions("eve", 1);
			for (int i = 0; i < 300; i++) {
				b.template().sendToUser("eve", NotifyMessage.of("text", "before the drain " + i));
			}

			b.close();

			List<StompTestClient.Frame> frames = inbox.next(300);
			assertThat(frames.get(299).body()).contains("before the drain 299");
			assertThat(eve.awaitError()).isEqualTo(SessionDrain.SHUTTING_DOWN);
		}
	}

	@Test
	void whenAClientConnectsDuringTheDrainThenItIsRefused() throws Exception {
		ClusterTestNode b = ClusterTestNode.start("node-b", this.properties, SlowDrainConfiguration.class)
			.awaitJoined();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close);
		try {
			LocalSessions sessions = b.sessions();
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(sessions::isDraining);
			try (RawStompClient late = RawStompClient.open(b.port())) {
				late.frame("CONNECT", "", "accept-version:1.2", "host:localhost", "Authorization:Bearer valid-finn");

				assertThat(late.awaitError()).isEqualTo(SessionDrain.SHUTTING_DOWN);
			}
		}
		finally {
			b.context().getBean(SlowDrainConfiguration.class).release.countDown();
			closing.get(LIFECYCLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		assertThat(this.a.template().isOnline("finn")).isFalse();
	}

	private static String nextError(RawStompClient raw) throws InterruptedException {
		while (true) {
			String frame = raw.next();
			if (frame.startsWith("ERROR")) {
				return frame;
			}
		}
	}

	private static String header(String frame, String name) {
		for (String line : frame.split("\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1);
			}
		}
		return null;
	}

	/**
	 * Holds the drain open until the test lets it go on.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SlowDrainConfiguration {

		final CountDownLatch release = new CountDownLatch(1);

		@Bean
		DrainParticipant slowDrainParticipant() {
			return () -> {
				try {
					this.release.await(StompTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			};
		}

	}

}
