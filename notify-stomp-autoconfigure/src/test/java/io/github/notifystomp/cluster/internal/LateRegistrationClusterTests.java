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

package io.github.notifystomp.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session a node accepted while Redis was unreachable is registered in Redis by a later
 * renewal; until then other nodes' relays miss it. When the renewal that brought Redis
 * back had caught the node up before the session came (its snapshot of the sessions
 * predated it, or Redis failed again meanwhile), a stored message sent to the user in
 * between reached no session: the renewal that registers the session must catch up again.
 */
class LateRegistrationClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void whenASessionIsRegisteredAfterTheCatchUpThatFollowedAnOutageThenItIsCaughtUpAgain() {
		String user = "late-registered";
		try (TestDatabase database = Databases.postgres()) {
			Map<String, Object> properties = properties(database);
			try (ClusterTestNode a = ClusterTestNode.start("node-a", properties).awaitJoined();
					ClusterTestNode b = ClusterTestNode.start("node-b", properties).awaitJoined()) {
				lateRegistration(a, b, user);
			}
		}
	}

	private static void lateRegistration(ClusterTestNode a, ClusterTestNode b, String user) {
		// node-b's renewal is held, so that the race below happens in this order
		b.lifecycle().stopRenewing();
		b.status().failed("test", new IllegalStateException("Redis did not answer in time"));
		try (StompTestClient client = b.connect(user)) {
			Subscription inbox = client.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
			b.awaitUserSubscriptions(user, 1);
			// a renewal whose snapshot predated the session brings Redis back and
			// catches up: the session is still known to node-b only
			b.status().renewed(Instant.now(), 0);
			assertThat(b.status().takeCatchUpRequest()).isNotNull();
			assertThat(a.presence().sessionsOf(user)).isEmpty();

			SendResult missed = a.template().sendToUser(user, NotifyMessage.of("text", "sent before registration"));
			b.lifecycle().resumeRenewing();

			Awaitility.await("node-b registers the session")
				.atMost(TIMEOUT)
				.until(() -> a.presence().sessionsOf(user).containsKey("node-b"));
			assertThat(inbox.next(TIMEOUT).header("notify-id")).isEqualTo(missed.id());
			SendResult after = a.template().sendToUser(user, NotifyMessage.of("text", "sent after registration"));
			assertThat(inbox.next(TIMEOUT).header("notify-id")).isEqualTo(after.id());
		}
	}

	private static Map<String, Object> properties(TestDatabase database) {
		Map<String, Object> properties = ClusterTestNode.databaseProperties(database);
		properties.put("spring.data.redis.url", RedisServers.url());
		properties.put("notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix());
		properties.put("notify.stomp.cluster.presence-lease", "3s");
		return properties;
	}

}
