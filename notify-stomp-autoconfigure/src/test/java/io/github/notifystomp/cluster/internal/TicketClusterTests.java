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

import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompHeaders;

import io.github.notifystomp.autoconfigure.InvalidNotifyStompPropertyException;
import io.github.notifystomp.auth.internal.ConnectTickets;
import io.github.notifystomp.test.RedisServers;
import io.github.notifystomp.test.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CONNECT tickets in a cluster: every node accepts the tickets any node issued (one
 * secret), and each ticket only once, whichever node it is presented to.
 */
class TicketClusterTests {

	private static final String SECRET = "the-ticket-secret-of-this-test-cluster-0123";

	@Test
	void whenATicketIssuedOnOneNodeIsUsedOnAnotherThenItConnectsOnceClusterWide() {
		Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
				"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.auth.ticket.enabled",
				true, "notify.stomp.auth.ticket.secret", SECRET);
		try (ClusterTestNode a = ClusterTestNode.start("ticket-a", properties).awaitJoined();
				ClusterTestNode b = ClusterTestNode.start("ticket-b", properties).awaitJoined()) {
			assertThat(a.context().getBean(io.github.notifystomp.auth.TicketRedemptions.class))
				.isInstanceOf(RedisTicketRedemptions.class);
			String ticket = a.context().getBean(ConnectTickets.class).issue("quinn", List.of("ROLE_USER")).value();
			try (StompTestClient onB = StompTestClient.connect(b.port(), ticket)) {
				Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> a.template().isOnline("quinn"));
				assertThat(refusal(a.port(), ticket)).isEqualTo("Invalid token");
				assertThat(refusal(b.port(), ticket)).isEqualTo("Invalid token");
			}
		}
	}

	@Test
	void whenTicketsAreOnInAClusterWithoutASecretThenStartupFailsNamingTheProperty() {
		Map<String, Object> properties = Map.of("spring.data.redis.url", RedisServers.url(),
				"notify.stomp.cluster.key-prefix", RedisServers.freshKeyPrefix(), "notify.stomp.auth.ticket.enabled",
				true);
		assertThatThrownBy(() -> ClusterTestNode.start("ticket-c", properties).close()).rootCause()
			.isInstanceOf(InvalidNotifyStompPropertyException.class)
			.hasMessageContaining("notify.stomp.auth.ticket.secret");
	}

	private static String refusal(int port, String ticket) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + ticket);
		try (StompTestClient client = StompTestClient.attempt(port, headers)) {
			return client.awaitError();
		}
	}

}
