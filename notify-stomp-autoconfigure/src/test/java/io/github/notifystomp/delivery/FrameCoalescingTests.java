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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A burst of messages to one user queues frames for each of its sessions, which the
 * server writes several to a WebSocket message: Spring's {@code WebSocketStompClient} and
 * a client that splits messages at NUL read every one of them, in order, once.
 */
@NotifyStompServerTest(properties = "spring.jmx.enabled=false")
class FrameCoalescingTests {

	static final int COUNT = 400;

	private static final Pattern INDEX = Pattern.compile("\"payload\":\"m-(\\d+)\"");

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate template;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenManyMessagesWaitForASessionThenTheyArriveCompleteInOrderWithoutDuplicates() throws Exception {
		List<String> messages = burst(this.port, this.template, this.sessions, "coalesced");
		long joined = messages.stream().filter((message) -> frames(message) > 1).count();
		System.out.println("Frame coalescing: " + COUNT + " frames in " + messages.size() + " WebSocket messages, "
				+ joined + " of them with several frames");
	}

	/**
	 * Send {@link #COUNT} messages to a user with two sessions as fast as the template
	 * takes them, check that both sessions get each once and in order, and that a lone
	 * message after them arrives too.
	 * @return the WebSocket messages the raw session got
	 */
	static List<String> burst(int port, NotifyTemplate template, LocalSessions sessions, String user) throws Exception {
		try (StompTestClient client = StompTestClient.connect(port, "valid-" + user);
				RawStompClient raw = RawStompClient.open(port).connect("valid-" + user)) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			raw.frame("SUBSCRIBE", "", "id:sub-0", "destination:/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> sessions.sessionsOf(user).size() == 2
						&& sessions.sessionsOf(user).stream().allMatch((s) -> s.userSubscriptionCount() > 0));

			for (int i = 0; i < COUNT; i++) {
				template.sendToUser(user, NotifyMessage.of("text", "m-" + i));
			}

			List<Integer> expected = IntStream.range(0, COUNT).boxed().toList();
			assertThat(inbox.next(COUNT)).extracting((frame) -> index(frame.body()))
				.containsExactlyElementsOf(expected);
			assertThat(rawMessages(raw, COUNT)).containsExactlyElementsOf(expected);

			// nothing waits now: a lone message goes at once, and nothing came twice
			template.sendToUser(user, NotifyMessage.of("text", "m-" + COUNT));
			assertThat(index(inbox.next().body())).isEqualTo(COUNT);
			assertThat(rawMessages(raw, 1)).containsExactly(COUNT);
			inbox.assertNothingWithin(Duration.ofMillis(300));
			assertThat(raw.received().poll(300, TimeUnit.MILLISECONDS)).isNull();
			return new ArrayList<>(raw.messages());
		}
	}

	static int frames(String message) {
		return (int) message.chars().filter((c) -> c == 0).count();
	}

	private static List<Integer> rawMessages(RawStompClient raw, int count) throws InterruptedException {
		List<Integer> indexes = new ArrayList<>();
		while (indexes.size() < count) {
			String frame = raw.next();
			if (frame.startsWith("MESSAGE")) {
				indexes.add(index(frame));
			}
			else if (!frame.isBlank()) {
				fail("Expected MESSAGE, got: " + frame);
			}
		}
		return indexes;
	}

	private static int index(String body) {
		Matcher matcher = INDEX.matcher(body);
		if (!matcher.find()) {
			fail("No message index in: " + body);
		}
		return Integer.parseInt(matcher.group(1));
	}

}
