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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.WebSocketHttpHeaders;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.internal.SessionTracker;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No session lives without liveness (R2 of issue 13): a client that asked for no
 * heart-beats and whose network vanished is closed within the idle timeout, and a user at
 * the session limit is not locked out by sessions left behind: the oldest is replaced
 * (told why); {@code reject-new} is in {@link SessionLimitRejectNewIntegrationTests}.
 */
@NotifyStompServerTest(
		properties = { "notify.stomp.heartbeat.idle-timeout=3s", "notify.stomp.limits.max-sessions-per-user=2" })
class SessionLivenessIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenTheNetworkOfAClientWithoutHeartBeatsVanishesThenItsSessionIsClosedWithinTheIdleTimeout() throws Exception {
		String user = user("mia");
		try (TcpProxy network = TcpProxy.to("localhost", this.port);
				RawStompClient first = viaProxy(network, user);
				RawStompClient second = viaProxy(network, user)) {
			assertThat(this.sessions.sessionCount(user)).isEqualTo(2);
			// no FIN, no RST: the server's pings go unanswered
			network.freeze();
			long frozenAt = System.nanoTime();
			await().atMost(StompTestClient.TIMEOUT).until(() -> this.sessions.sessionCount(user) == 0);
			long closedAfterMillis = (System.nanoTime() - frozenAt) / 1_000_000;
			// the idle timeout, checked every quarter of it, plus the close
			assertThat(closedAfterMillis).isLessThan(6_000);
			System.out.println("R2: sessions without heart-beats closed " + closedAfterMillis
					+ " ms after their network vanished");
		}
		try (RawStompClient again = RawStompClient.open(this.port)) {
			again.connect("valid-" + user);
		}
	}

	@Test
	void whenAClientWithoutHeartBeatsStaysIdleButAliveThenItAnswersPingsAndStays() throws Exception {
		String user = user("noah");
		try (RawStompClient idle = RawStompClient.open(this.port)) {
			idle.connect("valid-" + user);
			Thread.sleep(4_500);
			assertThat(idle.isOpen()).isTrue();
			assertThat(this.sessions.sessionCount(user)).isOne();
		}
	}

	@Test
	void whenAUserAtTheSessionLimitConnectsThenTheOldestSessionIsReplacedAndToldWhy() throws Exception {
		String user = user("olga");
		try (RawStompClient oldest = RawStompClient.open(this.port).connect("valid-" + user);
				RawStompClient newer = RawStompClient.open(this.port).connect("valid-" + user);
				RawStompClient newest = RawStompClient.open(this.port).connect("valid-" + user)) {
			assertThat(oldest.awaitError()).isEqualTo(SessionTracker.SESSION_REPLACED);
			oldest.awaitClosed();
			assertThat(newer.isOpen()).isTrue();
			assertThat(newest.isOpen()).isTrue();
			assertThat(this.sessions.sessionCount(user)).isEqualTo(2);
		}
	}

	private RawStompClient viaProxy(TcpProxy network, String user) throws Exception {
		return RawStompClient.open("ws://localhost:" + network.port() + "/ws", new WebSocketHttpHeaders())
			.connect("valid-" + user);
	}

	private static String user(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
