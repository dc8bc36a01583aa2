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
package io.github.notifystomp.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drops on a real server are counted in {@code notify.stomp.messages.dropped} and logged:
 * a transient message for a user who connected but has not subscribed yet, and the
 * messages still queued for a session that closes.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "notify.stomp.store.type=none", "spring.jmx.enabled=false" })
@ExtendWith(OutputCaptureExtension.class)
class MessageDropIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate template;

	@Autowired
	LocalSessions sessions;

	@Autowired
	MeterRegistry meters;

	@Test
	void whenAUserIsConnectedButNotSubscribedThenATransientMessageForItIsCountedAndLogged(CapturedOutput output)
			throws Exception {
		try (RawStompClient client = RawStompClient.open(this.port)) {
			client.connect("valid-nell");
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.sessions.sessionCount("nell") == 1);
			double before = dropped("not-subscribed");

			this.template.sendToUser("nell",
					NotifyMessage.builder("text").payload("between CONNECT and SUBSCRIBE").transientMessage().build());

			assertThat(dropped("not-subscribed") - before).isEqualTo(1);
			assertThat(output.getOut()).contains("(reason: not-subscribed,").contains("for user nell");
		}
	}

	@Test
	void whenASubscribedUserGetsAMessageThenNothingIsCountedAsDropped() {
		try (StompTestClient client = StompTestClient.connect(this.port, "valid-otto")) {
			StompTestClient.Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionsOf("otto").stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
			double before = dropped(null);

			this.template.sendToUser("otto", NotifyMessage.builder("text").payload("hello").transientMessage().build());

			assertThat(inbox.next().body()).contains("hello");
			assertThat(dropped(null)).isEqualTo(before);
		}
	}

	private double dropped(String reason) {
		var search = this.meters.find("notify.stomp.messages.dropped");
		if (reason != null) {
			search = search.tag("reason", reason);
		}
		return search.counters().stream().mapToDouble(Counter::count).sum();
	}

}
