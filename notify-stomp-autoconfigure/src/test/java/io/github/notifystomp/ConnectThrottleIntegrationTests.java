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

package io.github.notifystomp;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An address whose CONNECTs keep failing gets 429 at the handshake. In a context of its
 * own, since every test client shares one address.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "notify.stomp.auth.failure-throttle.max-failures=3",
				"notify.stomp.auth.failure-throttle.window=1h" })
class ConnectThrottleIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void whenAnAddressKeepsFailingToConnectThenItsHandshakesAreThrottled() {
		StompHeaders bad = new StompHeaders();
		bad.add("Authorization", "Bearer guessing");
		for (int i = 0; i < 3; i++) {
			try (StompTestClient client = StompTestClient.attempt(this.port, bad)) {
				assertThat(client.awaitError()).isEqualTo("Invalid token");
			}
		}
		// even a valid token: the address is throttled before any token is looked at
		assertThatThrownBy(() -> RawStompClient.open("ws://localhost:" + this.port + "/ws", new WebSocketHttpHeaders()))
			.hasStackTraceContaining("429");
	}

}
