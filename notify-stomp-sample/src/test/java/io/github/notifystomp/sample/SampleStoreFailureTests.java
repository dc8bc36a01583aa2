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

import java.net.SocketException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;

import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.test.ForwardingNotifyStore;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send that fails because the store resets its connections reaches the REST caller as a
 * server error: Spring MVC must not take the store's "connection reset" for the HTTP
 * client going away and answer 200 with an empty body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleStoreFailureTests {

	@LocalServerPort
	int port;

	@Test
	void whenTheStoreResetsItsConnectionsThenTheSenderGetsA503WithAJsonError() {
		TestHttp http = new TestHttp(this.port);
		String token = http.post("/api/demo/token", "application/json", "{\"user\":\"alice\"}")
			.json()
			.get("token")
			.asText();

		TestHttp.Response sent = http.post("/api/notifications", "application/json",
				"{\"to\":\"bob\",\"type\":\"text\",\"payload\":{\"text\":\"lost?\"}}", "Authorization",
				"Bearer " + token);

		assertThat(sent.status()).isEqualTo(503);
		assertThat(sent.json().get("error").asText()).contains("could not be stored");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ResettingStore {

		@Bean
		NotifyStore resettingStore() {
			return new ForwardingNotifyStore(new MemoryNotifyStore(10)) {

				@Override
				public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
					throw new DataAccessResourceFailureException("I/O error: Connection reset",
							new SocketException("Connection reset"));
				}

			};
		}

	}

}
