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

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code session-limit-policy=reject-new}, a CONNECT beyond the session limit is
 * refused and the user's sessions stay (R2 of issue 13).
 */
@NotifyStompServerTest(properties = { "notify.stomp.limits.max-sessions-per-user=2",
		"notify.stomp.auth.session-limit-policy=reject-new" })
class SessionLimitRejectNewIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void whenAUserAtTheSessionLimitConnectsThenTheNewSessionIsRefusedAndTheOthersStay() throws Exception {
		String user = "pia-" + UUID.randomUUID().toString().substring(0, 8);
		try (RawStompClient oldest = RawStompClient.open(this.port).connect("valid-" + user);
				RawStompClient newer = RawStompClient.open(this.port).connect("valid-" + user);
				RawStompClient refused = RawStompClient.open(this.port)) {
			refused.frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,0", "host:localhost",
					"Authorization:Bearer valid-" + user);
			assertThat(refused.awaitError()).isEqualTo("Too many sessions for this user");
			assertThat(oldest.isOpen()).isTrue();
			assertThat(newer.isOpen()).isTrue();
		}
	}

}
