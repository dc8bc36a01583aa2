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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container keeps a small inbound buffer per connection: messages larger than it
 * arrive in parts, are put back together, and are handled as one; a message larger than
 * the largest frame closes only its session.
 */
@NotifyStompServerTest(properties = { "notify.stomp.transport.inbound-buffer-size=128B",
		"notify.stomp.transport.message-size-limit=8KB" })
class InboundBufferIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenFramesAreLargerThanTheBufferThenTheyArriveWhole() throws Exception {
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			// a CONNECT of about 1.6 KB, twelve times the buffer
			raw.frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,0", "host:localhost",
					"x-padding:" + "p".repeat(1500), "Authorization:Bearer valid-ines");
			assertThat(raw.next()).startsWith("CONNECTED");
			raw.frame("SUBSCRIBE", "", "id:inbox", "destination:/user/queue/notify", "x-padding:" + "s".repeat(1500));
			await().until(() -> this.sessions.sessionsOf("ines")
				.stream()
				.anyMatch((session) -> session.userSubscriptionCount() > 0));
			this.notifyTemplate.sendToUser("ines", NotifyMessage.of("text", "after large frames"));
			assertThat(nextMessage(raw)).contains("after large frames");
		}
	}

	@Test
	void whenAMessageIsLargerThanTheLargestFrameThenOnlyItsSessionIsClosed() throws Exception {
		try (RawStompClient bystander = RawStompClient.open(this.port);
				RawStompClient raw = RawStompClient.open(this.port)) {
			bystander.connect("valid-jonas");
			raw.connect("valid-karla");
			raw.text("SEND\ndestination:/app/x\n\n" + "x".repeat(9 * 1024) + "\0");
			assertThat(raw.awaitClosed().getCode()).isEqualTo(1009);
			assertThat(bystander.isOpen()).isTrue();
			await().until(() -> this.sessions.sessionCount("karla") == 0);
			assertThat(this.sessions.sessionCount("jonas")).isOne();
		}
	}

	private static String nextMessage(RawStompClient raw) throws InterruptedException {
		String frame = raw.next();
		while (frame.isBlank()) {
			frame = raw.next();
		}
		return frame;
	}

}
