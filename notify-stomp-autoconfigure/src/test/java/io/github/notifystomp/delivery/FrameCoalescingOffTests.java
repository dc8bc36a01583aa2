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

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code notify.stomp.transport.coalesce-size-limit=0} every frame is a WebSocket
 * message of its own, for clients that read one frame per message; a burst still arrives
 * complete and in order.
 */
@NotifyStompServerTest(properties = { "notify.stomp.transport.coalesce-size-limit=0", "spring.jmx.enabled=false" })
class FrameCoalescingOffTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate template;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenCoalescingIsOffThenEveryFrameIsAMessageOfItsOwn() throws Exception {
		List<String> messages = FrameCoalescingTests.burst(this.port, this.template, this.sessions, "oneatatime");

		assertThat(messages)
			.allSatisfy((message) -> assertThat(FrameCoalescingTests.frames(message)).isLessThanOrEqualTo(1));
	}

}
