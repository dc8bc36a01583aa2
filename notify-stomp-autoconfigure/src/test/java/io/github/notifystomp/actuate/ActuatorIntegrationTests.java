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

package io.github.notifystomp.actuate;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Actuator endpoint, the health indicator and the meters of a single node.
 */
@NotifyStompServerTest(properties = { "management.endpoints.web.exposure.include=health,notifystomp",
		"management.endpoint.health.show-details=always", "notify.stomp.cluster.node-id=node-a",
		// Spring Data Redis is on the test class path; this node has no Redis
		"management.health.redis.enabled=false" })
class ActuatorIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	MeterRegistry meters;

	@Test
	void whenNodeIsRunningThenHealthIsUpWithItsDetails() {
		TestHttp.Response health = rest().get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		JsonNode notifyStomp = health.json().at("/components/notifyStomp");
		assertThat(notifyStomp.get("status").asText()).isEqualTo("UP");
		assertThat(notifyStomp.at("/details/nodeId").asText()).isEqualTo("node-a");
	}

	@Test
	void whenAUserIsConnectedThenTheEndpointListsTheSessionsAndCanDisconnectThem() {
		try (StompTestClient phone = StompTestClient.connect(this.port, "valid-oscar");
				StompTestClient laptop = StompTestClient.connect(this.port, "valid-oscar")) {
			JsonNode node = rest().get("/actuator/notifystomp").json();
			assertThat(node.get("nodeId").asText()).isEqualTo("node-a");
			assertThat(node.get("localSessions").asInt()).isGreaterThanOrEqualTo(2);
			assertThat(node.at("/nodes/node-a").asInt()).isGreaterThanOrEqualTo(2);

			JsonNode user = rest().get("/actuator/notifystomp/users/oscar").json();
			assertThat(user.get("online").asBoolean()).isTrue();
			assertThat(user.at("/nodes/node-a").asInt()).isEqualTo(2);
			assertThat(user.get("localSessions")).hasSize(2);

			assertThat(user.get("localSessions").findValuesAsText("label")).hasSize(2)
				.doesNotContainAnyElementsOf(sessionIds("oscar"));
			assertThat(rest().get("/actuator/notifystomp/users/oscar").body())
				.doesNotContain(sessionIds("oscar").get(0));

			TestHttp.Response disconnect = rest().post("/actuator/notifystomp/users/oscar", "application/json",
					"{\"refuseReconnectsFor\":\"0s\"}");
			assertThat(disconnect.status()).isEqualTo(200);
			assertThat(disconnect.json().at("/disconnected/node-a").asInt()).isEqualTo(2);
			assertThat(disconnect.json().get("allNodesTold").asBoolean()).isTrue();
			assertThat(phone.awaitError()).isEqualTo("Disconnected by the server");
			assertThat(laptop.awaitError()).isEqualTo("Disconnected by the server");
		}
		await().until(() -> !this.notifyTemplate.isOnline("oscar"));
		JsonNode offline = rest().get("/actuator/notifystomp/users/oscar").json();
		assertThat(offline.get("online").asBoolean()).isFalse();
	}

	@Test
	void whenAPageOfAnotherSiteSendsWhatABrowserLetsItThenNobodyIsDisconnected() {
		try (StompTestClient pia = StompTestClient.connect(this.port, "valid-pia")) {
			// fetch(url, {method: 'POST', mode: 'no-cors'}) with no body, text or a form
			assertThat(rest().post("/actuator/notifystomp/users/pia", null, null).status()).isIn(400, 415);
			assertThat(rest().post("/actuator/notifystomp/users/pia", "text/plain", "{\"refuseReconnectsFor\":\"0s\"}")
				.status()).isEqualTo(415);
			assertThat(rest()
				.post("/actuator/notifystomp/users/pia", "application/x-www-form-urlencoded", "refuseReconnectsFor=0s")
				.status()).isEqualTo(415);
			assertThat(pia.isConnected()).isTrue();
			assertThat(this.notifyTemplate.isOnline("pia")).isTrue();
		}
	}

	@Test
	void whenADisconnectRefusesReconnectsThenTheUserIsRefusedUntilTheBlockIsLifted() {
		try (StompTestClient quin = StompTestClient.connect(this.port, "valid-quin")) {
			TestHttp.Response disconnect = rest().post("/actuator/notifystomp/users/quin", "application/json",
					"{\"refuseReconnectsFor\":\"10m\"}");
			assertThat(disconnect.status()).isEqualTo(200);
			assertThat(disconnect.json().get("reconnectsRefusedUntil").asText()).isNotBlank();
			assertThat(quin.awaitError()).isEqualTo("Disconnected by the server");
		}
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer valid-quin");
		try (StompTestClient refused = StompTestClient.attempt(this.port, headers)) {
			assertThat(refused.awaitError()).isEqualTo("Access revoked");
		}
		assertThat(rest().get("/actuator/notifystomp/users/quin").json().get("reconnectsRefusedUntil").asText())
			.isNotBlank();

		assertThat(rest().delete("/actuator/notifystomp/blocks/quin").status()).isEqualTo(200);

		try (StompTestClient again = StompTestClient.connect(this.port, "valid-quin")) {
			assertThat(again.isConnected()).isTrue();
		}
	}

	@Test
	void whenAnUnknownSectionIsAskedThenTheEndpointAnswers404() {
		assertThat(rest().get("/actuator/notifystomp/nodes/x").status()).isEqualTo(404);
	}

	@Test
	void whenASessionConnectsSendsAndAcknowledgesThenTheMetersCount() {
		double accepted = count("notify.stomp.connects", "result", "accepted");
		double refused = count("notify.stomp.connects", "reason", "invalid-token");
		double sent = count("notify.stomp.messages.sent", "kind", "user");
		double delivered = count("notify.stomp.messages.delivered");
		double acknowledged = count("notify.stomp.messages.acknowledged");
		try (StompTestClient peggy = StompTestClient.connect(this.port, "valid-peggy")) {
			StompHeaders bad = new StompHeaders();
			bad.add("Authorization", "Bearer not-a-token");
			try (StompTestClient refusedClient = StompTestClient.attempt(this.port, bad)) {
				refusedClient.awaitError();
			}
			Subscription inbox = peggy.subscribe("/user/queue/notify", Map.of("ack", "client-individual"));
			await().until(() -> gauge("notify.stomp.sessions") >= 1 && gauge("notify.stomp.users") >= 1);
			await().until(() -> this.notifyTemplate.isOnline("peggy"));
			awaitSubscribed("peggy");
			this.notifyTemplate.sendToUser("peggy", NotifyMessage.of("text", "counted"));
			Frame frame = inbox.next();
			peggy.ack(frame);
			await().untilAsserted(() -> {
				assertThat(count("notify.stomp.connects", "result", "accepted")).isEqualTo(accepted + 1);
				assertThat(count("notify.stomp.connects", "reason", "invalid-token")).isEqualTo(refused + 1);
				assertThat(count("notify.stomp.messages.sent", "kind", "user")).isEqualTo(sent + 1);
				assertThat(count("notify.stomp.messages.delivered")).isEqualTo(delivered + 1);
				assertThat(count("notify.stomp.messages.acknowledged")).isEqualTo(acknowledged + 1);
				assertThat(this.meters.get("notify.stomp.delivery.latency").timer().count()).isPositive();
				assertThat(this.meters.get("notify.stomp.store.write").timer().count()).isPositive();
			});
		}
	}

	@Autowired
	LocalSessions sessions;

	// the subscription is registered after the SUBSCRIBE frame passed every interceptor
	private void awaitSubscribed(String userId) {
		await().until(() -> this.sessions.sessionsOf(userId)
			.stream()
			.anyMatch((session) -> session.userSubscriptionCount() > 0));
	}

	private double count(String name, String... tags) {
		var counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double gauge(String name) {
		var gauge = this.meters.find(name).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private List<String> sessionIds(String userId) {
		return this.sessions.sessionsOf(userId).stream().map((session) -> session.id()).toList();
	}

	private TestHttp rest() {
		return new TestHttp(this.port);
	}

}
