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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator endpoint and health of cluster nodes, against a test-owned Redis that is
 * stopped and started again.
 */
class ClusterActuatorTests {

	private final RedisServers.OwnServer redis = RedisServers.ownServer();

	private final HttpClient http = HttpClient.newHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	private final Map<String, Object> properties = Map.of("spring.data.redis.url", this.redis.url(),
			"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.cluster.presence-lease",
			"3s", "notify.stomp.cluster.publish-timeout", "1s", "management.endpoints.web.exposure.include",
			"health,notifystomp", "management.endpoint.health.show-details", "always",
			// Spring Data Redis is on the test class path: its own health check waits for
			// a stopped Redis
			"management.health.redis.enabled", "false");

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void whenAUserIsOnTwoNodesThenTheEndpointListsBothAndDisconnectClosesBoth() throws Exception {
		this.redis.start();
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", this.properties).awaitJoined();
				StompTestClient onA = a.connect("walter");
				StompTestClient onB = b.connect("walter")) {
			Awaitility.await().until(() -> a.presence().sessionsOf("walter").size() == 2);

			JsonNode user = get(a, "/actuator/notifystomp/users/walter");
			assertThat(user.get("online").asBoolean()).isTrue();
			assertThat(user.at("/nodes/node-a").asInt()).isEqualTo(1);
			assertThat(user.at("/nodes/node-b").asInt()).isEqualTo(1);
			assertThat(user.get("localSessions")).hasSize(1);
			JsonNode node = get(a, "/actuator/notifystomp");
			assertThat(node.get("nodes").has("node-b")).isTrue();

			HttpResponse<String> disconnect = this.http
				.send(HttpRequest.newBuilder(uri(a, "/actuator/notifystomp/users/walter"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"refuseReconnectsFor\":\"0s\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(disconnect.statusCode()).isEqualTo(200);
			assertThat(onA.awaitError()).isEqualTo("Disconnected by the server");
			assertThat(onB.awaitError()).isEqualTo("Disconnected by the server");
			Awaitility.await().until(() -> !a.template().isOnline("walter") && !b.template().isOnline("walter"));
		}
	}

	@Test
	void whenRedisStopsThenHealthGoesDownAndComesBackUpWhenRedisReturns() throws Exception {
		this.redis.start();
		try (ClusterTestNode a = ClusterTestNode.start("node-a", this.properties).awaitJoined()) {
			Awaitility.await().until(() -> "UP".equals(health(a).get("status").asText()));
			this.redis.kill();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> "DOWN".equals(health(a).get("status").asText()));
			assertThat(health(a).at("/details/reason").asText()).startsWith("cluster:");
			this.redis.start();
			Awaitility.await()
				.atMost(Duration.ofSeconds(40))
				.until(() -> "UP".equals(health(a).get("status").asText()));
		}
	}

	private JsonNode health(ClusterTestNode node) throws Exception {
		return get(node, "/actuator/health").at("/components/notifyStomp");
	}

	private JsonNode get(ClusterTestNode node, String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(node, path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		return this.json.readTree(response.body());
	}

	private static URI uri(ClusterTestNode node, String path) {
		return URI.create("http://localhost:" + node.port() + path);
	}

}
