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

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token of a CONNECT never reaches a log line, even with Spring's STOMP and WebSocket
 * logging at TRACE.
 */
@NotifyStompServerTest(properties = { "logging.level.org.springframework.messaging=TRACE",
		"logging.level.org.springframework.web.socket=TRACE", "logging.level.io.github.notifystomp=TRACE" })
@ExtendWith(OutputCaptureExtension.class)
class TokenLoggingIntegrationTests {

	private static final String SIGNATURE = "Zm9vYmFyc2VjcmV0c2lnbmF0dXJl";

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Test
	void whenLoggingIsAtTraceThenNoAcceptedOrRefusedTokenIsLogged(CapturedOutput output) {
		try (StompTestClient client = StompTestClient.connect(this.port, "signed.tracey." + SIGNATURE)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			org.awaitility.Awaitility.await().until(() -> this.notifyTemplate.isOnline("tracey"));
			client.send("/app/nowhere", "{}", Map.of());
			this.notifyTemplate.sendToUser("tracey", NotifyMessage.of("text", "hello"));
			assertThat(inbox.next().body()).contains("hello");
		}
		StompHeaders refused = new StompHeaders();
		refused.add("Authorization", "Bearer rejected." + SIGNATURE);
		try (StompTestClient client = StompTestClient.attempt(this.port, refused)) {
			assertThat(client.awaitError()).isEqualTo("Invalid token");
		}
		assertThat(output.getOut()).contains("Decoded CONNECT").contains("tracey");
		// the test's own client logs what it sends; every other line is the server's
		assertThat(output.getAll().lines().filter((line) -> line.contains(SIGNATURE)))
			.allMatch((line) -> line.contains("DefaultStompSession") || line.contains("Encoding STOMP CONNECT"));
	}

}
