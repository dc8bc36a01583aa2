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

package io.github.notifystomp.json;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payloads are written by the application's own JSON mapper, on every Spring Boot line
 * (Jackson 3 on Boot 4, Jackson 2 on Boot 3.5): a payload looks the same in a STOMP
 * message as in the application's REST response, with its {@code spring.jackson.*}
 * settings, its modules and its annotations; and a JSON tree of either Jackson keeps its
 * content.
 */
@NotifyStompServerTest(classes = { TestApplication.class, PayloadJsonIntegrationTests.Application.class },
		properties = "spring.jackson.property-naming-strategy=SNAKE_CASE")
class PayloadJsonIntegrationTests {

	static final Shipment SHIPMENT = new Shipment("A-17", Instant.parse("2026-03-01T10:15:30Z"), "DHL",
			new Money(new BigDecimal("12.50"), "EUR"), "not for clients");

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenATypedPayloadIsSentThenTheMessageCarriesWhatTheApplicationsRestResponseCarries() throws IOException {
		JsonNode rest = new TestHttp(this.port).get("/shipment").json();

		JsonNode payload = receive(SHIPMENT);

		assertThat(payload).isEqualTo(rest);
		assertThat(payload.get("order_id").asText()).isEqualTo("A-17");
		assertThat(payload.get("shipped_at").asText()).isEqualTo("2026-03-01T10:15:30Z");
		assertThat(payload.get("carrier_code").asText()).isEqualTo("DHL");
		assertThat(payload.get("price").asText()).isEqualTo("12.50 EUR");
		assertThat(payload.has("secret")).isFalse();
	}

	@Test
	void whenAPayloadIsAJackson3TreeThenItsContentIsSent() throws IOException {
		tools.jackson.databind.node.ObjectNode tree = JsonNodeFactory.instance.objectNode().put("kind", "jackson-3");
		tree.putArray("items").add(1).add(2);

		JsonNode payload = receive(tree);

		assertThat(payload).isEqualTo(this.json.readTree("{\"kind\":\"jackson-3\",\"items\":[1,2]}"));
	}

	@Test
	void whenAPayloadIsAJackson2TreeThenItsContentIsSent() throws IOException {
		com.fasterxml.jackson.databind.node.ObjectNode tree = this.json.createObjectNode().put("kind", "jackson-2");
		tree.putArray("items").add(1).add(2);

		JsonNode payload = receive(tree);

		assertThat(payload).isEqualTo(this.json.readTree("{\"kind\":\"jackson-2\",\"items\":[1,2]}"));
	}

	private JsonNode receive(Object payload) throws IOException {
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-json-reader")) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionsOf("json-reader")
					.stream()
					.anyMatch((session) -> session.userSubscriptionCount() > 0));
			this.notifyTemplate.sendToUser("json-reader", NotifyMessage.of("shipment", payload));
			return this.json.readTree(inbox.next().body()).get("payload");
		}
	}

	record Shipment(String orderId, Instant shippedAt, @JsonProperty("carrier_code") String carrier, Money price,
			@JsonIgnore String secret) {
	}

	record Money(BigDecimal amount, String currency) {

		String text() {
			return this.amount.toPlainString() + " " + this.currency;
		}

	}

	@RestController
	static class ShipmentController {

		@GetMapping("/shipment")
		Shipment shipment() {
			return SHIPMENT;
		}

	}

	/**
	 * The same serializer as a Jackson 3 and a Jackson 2 module: the application's mapper
	 * takes the one of its Jackson, whichever line the tests run on.
	 */
	@Import(ShipmentController.class)
	static class Application {

		@Bean
		tools.jackson.databind.module.SimpleModule moneyModule() {
			return new tools.jackson.databind.module.SimpleModule("money").addSerializer(Money.class,
					new ValueSerializer<>() {

						@Override
						public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
							generator.writeString(value.text());
						}

					});
		}

		@Bean
		com.fasterxml.jackson.databind.Module moneyModuleJackson2() {
			return new com.fasterxml.jackson.databind.module.SimpleModule("money").addSerializer(Money.class,
					new com.fasterxml.jackson.databind.JsonSerializer<>() {

						@Override
						public void serialize(Money value, com.fasterxml.jackson.core.JsonGenerator generator,
								com.fasterxml.jackson.databind.SerializerProvider serializers) throws IOException {
							generator.writeString(value.text());
						}

					});
		}

	}

}
