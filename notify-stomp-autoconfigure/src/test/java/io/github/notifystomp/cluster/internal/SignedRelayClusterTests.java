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
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a relay secret, nodes deliver only relay messages signed with it: someone who can
 * publish on the Redis channels but does not know the secret cannot make a node deliver
 * anything.
 */
class SignedRelayClusterTests {

	private static final String SECRET = "the-relay-secret-of-this-test-cluster-0123";

	@Test
	void whenRelaysAreSignedThenNodesDeliverSignedOnesAndDropForgedOnes() {
		String keyPrefix = RedisServers.freshKeyPrefix();
		Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
				"notify.stomp.cluster.key-prefix", keyPrefix, "notify.stomp.cluster.relay-secret", SECRET);
		try (ClusterTestNode a = ClusterTestNode.start("node-a", properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("node-b", properties).awaitJoined();
				StompTestClient quentin = b.connect("quentin")) {
			Subscription inbox = quentin.subscribe("/user/queue/notify");
			b.awaitUserSubscriptions("quentin", 1);
			String channel = new RedisKeys(keyPrefix).inbox("node-b");
			String forged = new RelayCodec(65536, null, TestPayloadJson.create()).user("node-a",
					new Notification("forged-1", "text", "\"from nobody\"", Instant.parse("2026-01-01T00:00:00Z"), null,
							"quentin", 0, null));
			String wronglySigned = new RelayCodec(65536, SECRET.replace('e', 'x'), TestPayloadJson.create())
				.user("node-a", new Notification("forged-2", "text", "\"from nobody\"",
						Instant.parse("2026-01-01T00:00:00Z"), null, "quentin", 0, null));

			RedisServers.call(RedisServers.url(), "PUBLISH", channel, forged);
			RedisServers.call(RedisServers.url(), "PUBLISH", channel, wronglySigned);

			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.untilAsserted(
						() -> assertThat(b.relayDropped("unsigned") + b.relayDropped("bad-signature")).isEqualTo(2));
			inbox.assertNothingWithin(Duration.ofMillis(300));
			SendResult signed = a.template().sendToUser("quentin", NotifyMessage.of("text", "from node a"));
			assertThat(inbox.next().header("notify-id")).isEqualTo(signed.id());
		}
	}

}
