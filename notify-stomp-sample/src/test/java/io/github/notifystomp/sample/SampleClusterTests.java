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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sample nodes joined through Redis, as the README shows them: a token issued by one
 * node is accepted by the other, and a user on one node reaches a user on the other.
 */
class SampleClusterTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void whenTwoNodesShareRedisThenTokensWorkOnBothAndUsersReachEachOther() throws Exception {
		Map<String, Object> cluster = Map.of("notify.stomp.cluster.enabled", true, "spring.data.redis.url",
				RedisServers.url(), "notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "server.port", 0);
		try (ConfigurableApplicationContext a = start(cluster, "sample-a");
				ConfigurableApplicationContext b = start(cluster, "sample-b")) {
			String bobToken = token(a, "bob");
			String aliceToken = token(b, "alice");
			try (StompTestClient bobOnB = StompTestClient.connect(port(b), bobToken)) {
				Subscription inbox = bobOnB.subscribe("/user/queue/notify");
				Awaitility.await().until(() -> a.getBean(NotifyTemplate.class).isOnline("bob"));

				HttpResponse<String> sent = this.http
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(a) + "/api/notifications"))
						.header("Content-Type", "application/json")
						.header("Authorization", "Bearer " + aliceToken)
						.POST(HttpRequest.BodyPublishers
							.ofString("{\"to\":\"bob\",\"type\":\"text\",\"payload\":{\"text\":\"across nodes\"}}"))
						.build(), HttpResponse.BodyHandlers.ofString());

				assertThat(sent.statusCode()).isEqualTo(202);
				assertThat(inbox.next().body()).contains("across nodes").contains("\"from\":\"alice\"");
			}
		}
	}

	private static ConfigurableApplicationContext start(Map<String, Object> cluster, String nodeId) {
		// as command-line arguments, like the README's, so they win over application.yml
		java.util.List<String> args = new java.util.ArrayList<>();
		cluster.forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--notify.stomp.cluster.node-id=" + nodeId);
		args.add("--spring.datasource.url=jdbc:h2:mem:" + nodeId + ";DB_CLOSE_DELAY=-1");
		return new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new));
	}

	private String token(ConfigurableApplicationContext node, String user) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(node) + "/api/demo/token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = this.json.readTree(response.body());
		return body.get("token").asText();
	}

	private static int port(ConfigurableApplicationContext node) {
		return TestHttp.port(node);
	}

}
