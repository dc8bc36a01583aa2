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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the sample end to end: its REST endpoints over HTTP and its STOMP endpoint with
 * a real client, as the page does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestRestTemplate rest;

	@Autowired
	ObjectMapper objectMapper;

	@Test
	void whenAUserSendsToAnotherUserThenOnlyThatUserGetsItLive() throws Exception {
		String aliceToken = token("alice");
		try (StompTestClient bob = StompTestClient.connect(this.port, token("bob"));
				StompTestClient carol = StompTestClient.connect(this.port, token("carol"))) {
			Subscription bobInbox = bob.subscribe("/user/queue/notify");
			Subscription carolInbox = carol.subscribe("/user/queue/notify");
			awaitSubscribed();

			ResponseEntity<JsonNode> sent = post("/api/notifications", aliceToken,
					"{\"to\":\"bob\",\"type\":\"text\",\"payload\":{\"text\":\"hi bob\"}}");

			assertThat(sent.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			assertThat(sent.getBody().get("id").asText()).isNotBlank();
			assertThat(sent.getBody().get("seq").asLong()).isPositive();
			Frame frame = bobInbox.next();
			JsonNode body = this.objectMapper.readTree(frame.body());
			assertThat(body.get("id").asText()).isEqualTo(sent.getBody().get("id").asText());
			assertThat(body.at("/payload/text").asText()).isEqualTo("hi bob");
			assertThat(body.at("/payload/from").asText()).isEqualTo("alice");
			carolInbox.assertNothingWithin(Duration.ofMillis(500));
		}
	}

	@Test
	void whenSentWithoutRecipientThenEveryoneGetsTheBroadcast() {
		try (StompTestClient bob = StompTestClient.connect(this.port, token("bob"));
				StompTestClient carol = StompTestClient.connect(this.port, token("carol"))) {
			Subscription bobTopic = bob.subscribe("/topic/notify");
			Subscription carolTopic = carol.subscribe("/topic/notify");
			awaitSubscribed();

			ResponseEntity<JsonNode> sent = post("/api/notifications", token("alice"),
					"{\"type\":\"text\",\"payload\":{\"text\":\"hi all\"}}");

			assertThat(sent.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			assertThat(sent.getBody().get("seq").isNull()).isTrue();
			assertThat(bobTopic.next().body()).contains("hi all");
			assertThat(carolTopic.next().body()).contains("hi all");
		}
	}

	@Test
	void whenTheTokenRequestIsBadThenTheAnswerIs400WithAJsonError() {
		for (String body : new String[] { "{}", "{\"user\":\"\"}", "{\"user\":\"a/b\"}", "not json", "" }) {
			ResponseEntity<JsonNode> response = post("/api/demo/token", null, body);
			assertThat(response.getStatusCode()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(response.getBody().get("error").asText()).as(body).isNotBlank();
		}
	}

	@Test
	void whenSendingWithoutAValidTokenThenTheAnswerIs401() {
		String body = "{\"to\":\"bob\",\"type\":\"text\",\"payload\":{}}";
		for (String token : new String[] { null, "nonsense", forgedToken("alice"), noneAlgorithmToken("alice") }) {
			ResponseEntity<JsonNode> response = post("/api/notifications", token, body);
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(response.getBody().get("error").asText()).isNotBlank();
		}
	}

	@Test
	void whenTheNotificationBodyIsBadThenTheAnswerIs400() {
		String token = token("alice");
		for (String body : new String[] { "{\"to\":\"bob\"}", "{\"to\":\"bob/x\",\"type\":\"text\"}",
				"{\"to\":\"bob\",\"type\":\"bad type!\"}", "[1,2", "" }) {
			ResponseEntity<JsonNode> response = post("/api/notifications", token, body);
			assertThat(response.getStatusCode()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(response.getBody().get("error").asText()).as(body).isNotBlank();
		}
	}

	@Test
	void whenConnectingWithAForgedOrUnsignedTokenThenConnectIsRefused() {
		for (String token : new String[] { forgedToken("alice"), noneAlgorithmToken("alice") }) {
			StompHeaders headers = new StompHeaders();
			headers.add("Authorization", "Bearer " + token);
			try (StompTestClient client = StompTestClient.attempt(this.port, headers)) {
				assertThat(client.awaitError()).isEqualTo("Invalid token");
			}
		}
	}

	@Test
	void whenAUserReadsTheInboxThenHistoryUnreadCountMarkReadAndDeleteWork() {
		String sender = token("alice");
		String reader = token("dora");
		JsonNode first = post("/api/notifications", sender,
				"{\"to\":\"dora\",\"type\":\"text\",\"payload\":{\"text\":\"one\"}}")
			.getBody();
		post("/api/notifications", sender, "{\"to\":\"dora\",\"type\":\"text\",\"payload\":{\"text\":\"two\"}}");

		JsonNode history = get("/api/notifications?limit=10", reader).getBody();
		assertThat(history.get("messages")).hasSize(2);
		assertThat(history.at("/messages/0/payload/text").asText()).isEqualTo("two");
		assertThat(history.at("/messages/1/id").asText()).isEqualTo(first.get("id").asText());
		assertThat(get("/api/notifications/unread-count", reader).getBody().get("unread").asLong()).isEqualTo(2);

		ResponseEntity<JsonNode> marked = post("/api/notifications/read", reader,
				"{\"ids\":[\"" + first.get("id").asText() + "\"]}");
		assertThat(marked.getBody().get("marked").asInt()).isEqualTo(1);
		assertThat(get("/api/notifications/unread-count", reader).getBody().get("unread").asLong()).isEqualTo(1);

		assertThat(delete("/api/notifications/" + first.get("id").asText(), reader)).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(delete("/api/notifications/" + first.get("id").asText(), reader)).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(get("/api/notifications", reader).getBody().get("messages")).hasSize(1);
		assertThat(get("/api/notifications", null).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void whenActuatorIsAskedThenHealthIsUp() {
		ResponseEntity<JsonNode> health = this.rest.getForEntity("/actuator/health", JsonNode.class);
		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(health.getBody().get("status").asText()).isEqualTo("UP");
	}

	@Test
	void whenThePageIsRequestedThenItAndTheModulesItImportsAreServed() {
		assertThat(this.rest.getForEntity("/", String.class).getBody()).contains("notify-stomp")
			.contains("\"@stomp/stompjs\": \"/webjars/stomp__stompjs/esm6/index.js\"")
			.contains("\"notify-stomp-client\": \"/notify-stomp-client/index.js\"");
		assertJavaScript("/webjars/stomp__stompjs/esm6/index.js", "./client.js");
		assertJavaScript("/notify-stomp-client/index.js", "export function createNotifyClient");
		assertJavaScript("/notify-stomp-client/stores.js", "export function memoryStore");
	}

	// a browser runs a module only when it is served as JavaScript
	private void assertJavaScript(String path, String content) {
		ResponseEntity<String> module = this.rest.getForEntity(path, String.class);
		assertThat(module.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(module.getHeaders().getContentType()).hasToString("text/javascript");
		assertThat(module.getBody()).contains(content);
	}

	private String token(String user) {
		ResponseEntity<JsonNode> response = post("/api/demo/token", null, "{\"user\":\"" + user + "\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().get("expiresAt").asText()).isNotBlank();
		return response.getBody().get("token").asText();
	}

	// a token with valid structure and claims, signed with another key
	private static String forgedToken(String user) {
		String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
		String claims = encode("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
		return header + "." + claims + "." + encode("not-the-signature-of-this-token");
	}

	private static String noneAlgorithmToken(String user) {
		String header = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
		String claims = encode("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
		return header + "." + claims + ".";
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private ResponseEntity<JsonNode> get(String path, String token) {
		HttpHeaders headers = new HttpHeaders();
		if (token != null) {
			headers.setBearerAuth(token);
		}
		return this.rest.exchange(path, org.springframework.http.HttpMethod.GET, new HttpEntity<>(headers),
				JsonNode.class);
	}

	private HttpStatus delete(String path, String token) {
		HttpHeaders headers = new HttpHeaders();
		headers.setBearerAuth(token);
		return HttpStatus.valueOf(this.rest
			.exchange(path, org.springframework.http.HttpMethod.DELETE, new HttpEntity<>(headers), String.class)
			.getStatusCode()
			.value());
	}

	private ResponseEntity<JsonNode> post(String path, String token, String body) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		if (token != null) {
			headers.setBearerAuth(token);
		}
		return this.rest.postForEntity(path, new HttpEntity<>(body, headers), JsonNode.class);
	}

	@Autowired
	SimpUserRegistry userRegistry;

	// subscriptions reach the server asynchronously:
	// wait until both clients' are registered
	private void awaitSubscribed() {
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.userRegistry.findSubscriptions((subscription) -> true).size() >= 2);
	}

}
