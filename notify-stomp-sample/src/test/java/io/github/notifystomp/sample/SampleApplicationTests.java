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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the sample end to end: its REST endpoints over HTTP and its STOMP endpoint with
 * a real client, as the page does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.security.user.password=" + SampleApplicationTests.ADMIN_PASSWORD)
class SampleApplicationTests {

	static final String ADMIN_PASSWORD = "a-test-admin-password";

	@LocalServerPort
	int port;

	private final ObjectMapper objectMapper = new ObjectMapper();

	@Test
	void whenAUserSendsToAnotherUserThenOnlyThatUserGetsItLive() throws Exception {
		String aliceToken = token("alice");
		try (StompTestClient bob = StompTestClient.connect(this.port, token("bob"));
				StompTestClient carol = StompTestClient.connect(this.port, token("carol"))) {
			Subscription bobInbox = bob.subscribe("/user/queue/notify");
			Subscription carolInbox = carol.subscribe("/user/queue/notify");
			awaitSubscribed();

			TestHttp.Response sent = post("/api/notifications", aliceToken,
					"{\"to\":\"bob\",\"type\":\"text\",\"payload\":{\"text\":\"hi bob\"}}");

			assertThat(sent.status()).isEqualTo(202);
			assertThat(sent.json().get("id").asText()).isNotBlank();
			assertThat(sent.json().get("seq").asLong()).isPositive();
			Frame frame = bobInbox.next();
			JsonNode body = this.objectMapper.readTree(frame.body());
			assertThat(body.get("id").asText()).isEqualTo(sent.json().get("id").asText());
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

			TestHttp.Response sent = post("/api/notifications", token("alice"),
					"{\"type\":\"text\",\"payload\":{\"text\":\"hi all\"}}");

			assertThat(sent.status()).isEqualTo(202);
			assertThat(sent.json().get("seq").isNull()).isTrue();
			assertThat(bobTopic.next().body()).contains("hi all");
			assertThat(carolTopic.next().body()).contains("hi all");
		}
	}

	@Test
	void whenTheTokenRequestIsBadThenTheAnswerIs400WithAJsonError() {
		for (String body : new String[] { "{}", "{\"user\":\"\"}", "{\"user\":\"a/b\"}", "not json", "" }) {
			TestHttp.Response response = post("/api/demo/token", null, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("error").asText()).as(body).isNotBlank();
		}
	}

	@Test
	void whenSendingWithoutAValidTokenThenTheAnswerIs401() {
		String body = "{\"to\":\"bob\",\"type\":\"text\",\"payload\":{}}";
		for (String token : new String[] { null, "nonsense", forgedToken("alice"), noneAlgorithmToken("alice") }) {
			TestHttp.Response response = post("/api/notifications", token, body);
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.json().get("error").asText()).isNotBlank();
		}
	}

	@Test
	void whenTheNotificationBodyIsBadThenTheAnswerIs400() {
		String token = token("alice");
		for (String body : new String[] { "{\"to\":\"bob\"}", "{\"to\":\"bob/x\",\"type\":\"text\"}",
				"{\"to\":\"bob\",\"type\":\"bad type!\"}", "[1,2", "" }) {
			TestHttp.Response response = post("/api/notifications", token, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("error").asText()).as(body).isNotBlank();
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
			.json();
		post("/api/notifications", sender, "{\"to\":\"dora\",\"type\":\"text\",\"payload\":{\"text\":\"two\"}}");

		JsonNode history = get("/api/notifications?limit=10", reader).json();
		assertThat(history.get("messages")).hasSize(2);
		assertThat(history.at("/messages/0/payload/text").asText()).isEqualTo("two");
		assertThat(history.at("/messages/1/id").asText()).isEqualTo(first.get("id").asText());
		assertThat(get("/api/notifications/unread-count", reader).json().get("unread").asLong()).isEqualTo(2);

		TestHttp.Response marked = post("/api/notifications/read", reader,
				"{\"ids\":[\"" + first.get("id").asText() + "\"]}");
		assertThat(marked.json().get("marked").asInt()).isEqualTo(1);
		assertThat(get("/api/notifications/unread-count", reader).json().get("unread").asLong()).isEqualTo(1);

		assertThat(delete("/api/notifications/" + first.get("id").asText(), reader)).isEqualTo(204);
		assertThat(delete("/api/notifications/" + first.get("id").asText(), reader)).isEqualTo(404);
		assertThat(get("/api/notifications", reader).json().get("messages")).hasSize(1);
		assertThat(get("/api/notifications", null).status()).isEqualTo(401);
	}

	@Test
	void whenActuatorEndpointsBesideHealthAreAskedWithoutTheAdminThenTheyAreRefused() {
		assertThat(http().get("/actuator/health").status()).isEqualTo(200);
		assertThat(http().get("/actuator/notifystomp").status()).isEqualTo(401);
		assertThat(http().get("/actuator/notifystomp/users/bob").status()).isEqualTo(401);
		assertThat(
				http().post("/actuator/notifystomp/users/bob", "application/json", "{\"refuseReconnectsFor\":\"0s\"}")
					.status())
			.isEqualTo(401);
		assertThat(http().get("/actuator/notifystomp", "Authorization", basic("admin", "wrong")).status())
			.isEqualTo(401);
		assertThat(http().get("/actuator/notifystomp", "Authorization", basic("admin", ADMIN_PASSWORD)).status())
			.isEqualTo(200);
	}

	@Test
	void whenAPayloadIsNotAnObjectOrClaimsASenderThenTheTokensUserIsTheSender() throws Exception {
		String aliceToken = token("alice");
		try (StompTestClient erin = StompTestClient.connect(this.port, token("erin"))) {
			Subscription inbox = erin.subscribe("/user/queue/notify");
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> !this.userRegistry
					.findSubscriptions((subscription) -> subscription.getSession().getUser().getName().equals("erin"))
					.isEmpty());
			for (String payload : new String[] { "\"just text\"", "[1,2]", "null",
					"{\"text\":\"hi\",\"from\":\"server\"}" }) {
				post("/api/notifications", aliceToken,
						"{\"to\":\"erin\",\"type\":\"text\",\"payload\":" + payload + "}");
				JsonNode received = this.objectMapper.readTree(inbox.next().body()).get("payload");
				assertThat(received.get("from").asText()).as(payload).isEqualTo("alice");
				if (!payload.startsWith("{")) {
					assertThat(received.get("value")).as(payload).isEqualTo(this.objectMapper.readTree(payload));
				}
			}
		}
	}

	@Test
	void whenARequestBodyIsLargerThanTheApiTakesThenItIsRefusedUnread() {
		String big = "{\"to\":\"bob\",\"type\":\"text\",\"payload\":\"" + "x".repeat(200_000) + "\"}";
		assertThat(post("/api/notifications", null, big).status()).isEqualTo(413);
		assertThat(post("/api/notifications", token("alice"), big).status()).isEqualTo(413);
		// no token: refused before the body is read
		assertThat(post("/api/notifications", null, "{\"to\":\"bob\"}").status()).isEqualTo(401);
	}

	@Test
	void whenActuatorIsAskedThenHealthIsUp() {
		TestHttp.Response health = http().get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asText()).isEqualTo("UP");
	}

	@Test
	void whenThePageIsRequestedThenItAndTheModulesItImportsAreServed() {
		assertThat(http().get("/").body()).contains("notify-stomp")
			.contains("\"@stomp/stompjs\": \"/webjars/stomp__stompjs/esm6/index.js\"")
			.contains("\"notify-stomp-client\": \"/notify-stomp-client/index.js\"");
		assertJavaScript("/webjars/stomp__stompjs/esm6/index.js", "./client.js");
		assertJavaScript("/notify-stomp-client/index.js", "export function createNotifyClient");
		assertJavaScript("/notify-stomp-client/stores.js", "export function memoryStore");
	}

	// a browser runs a module only when it is served as JavaScript
	private void assertJavaScript(String path, String content) {
		TestHttp.Response module = http().get(path);
		assertThat(module.status()).isEqualTo(200);
		assertThat(module.contentType()).isEqualTo("text/javascript");
		assertThat(module.body()).contains(content);
	}

	private String token(String user) {
		TestHttp.Response response = post("/api/demo/token", null, "{\"user\":\"" + user + "\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("expiresAt").asText()).isNotBlank();
		return response.json().get("token").asText();
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

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private TestHttp http() {
		return new TestHttp(this.port);
	}

	private TestHttp.Response get(String path, String token) {
		return (token != null) ? http().get(path, "Authorization", "Bearer " + token) : http().get(path);
	}

	private int delete(String path, String token) {
		return http().delete(path, "Authorization", "Bearer " + token).status();
	}

	private TestHttp.Response post(String path, String token, String body) {
		return (token != null) ? http().post(path, "application/json", body, "Authorization", "Bearer " + token)
				: http().post(path, "application/json", body);
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
