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

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.web.socket.WebSocketHttpHeaders;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused CONNECTs are counted per client address as the application sees it (here behind
 * a proxy, with {@code server.forward-headers-strategy}) and per token: a flood of bad
 * tokens from one address never locks out a valid token from it or from its neighbours,
 * and a token refused a few times is not resolved again. In a context of its own, since
 * the counts are the application's.
 */
@NotifyStompServerTest(classes = { TestApplication.class, ConnectThrottleIntegrationTests.CountingTokens.class },
		properties = { "notify.stomp.auth.failure-throttle.max-failures=3",
				"notify.stomp.auth.failure-throttle.window=1h", "server.forward-headers-strategy=native" })
@ExtendWith(OutputCaptureExtension.class)
class ConnectThrottleIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	CountingTokens tokens;

	@Test
	void whenOneClientBehindASharedProxyFloodsBadTokensThenValidTokensBehindTheProxyStillConnect(CapturedOutput output)
			throws Exception {
		for (int i = 0; i < 21; i++) {
			try (RawStompClient attacker = RawStompClient.open(url(), behindProxy("203.0.113.7"))) {
				attacker.frame("CONNECT", "", "accept-version:1.2", "host:localhost",
						"Authorization:Bearer guess-" + i);
				assertThat(attacker.awaitError()).isEqualTo("Invalid token");
			}
		}

		try (RawStompClient sameAddress = RawStompClient.open(url(), behindProxy("203.0.113.7"));
				RawStompClient neighbour = RawStompClient.open(url(), behindProxy("203.0.113.8"));
				RawStompClient direct = RawStompClient.open(this.port)) {
			sameAddress.connect("valid-carla");
			neighbour.connect("valid-dino");
			direct.connect("valid-emil");
		}
		assertThat(output.getOut()).contains("Refused STOMP CONNECT in session")
			.contains("from 203.0.113.7: Invalid token")
			.doesNotContain("from 127.0.0.1: Invalid token")
			.contains("Many refused STOMP CONNECTs from 203.0.113.7")
			.contains("server.forward-headers-strategy");
		assertThat(output.getOut().split("Many refused STOMP CONNECTs from 203.0.113.7", -1)).hasSize(2);
	}

	@Test
	void whenTheSameBadTokenComesAgainAndAgainThenItIsRefusedWithoutBeingResolved() throws Exception {
		int before = this.tokens.resolved.get();
		for (int i = 0; i < 6; i++) {
			try (RawStompClient client = RawStompClient.open(url(), behindProxy("198.51.100.1"))) {
				client.frame("CONNECT", "", "accept-version:1.2", "host:localhost", "Authorization:Bearer replayed");
				assertThat(client.awaitError()).isEqualTo("Invalid token");
			}
		}
		assertThat(this.tokens.resolved.get() - before).isEqualTo(3);
	}

	private String url() {
		return "ws://localhost:" + this.port + "/ws";
	}

	private static WebSocketHttpHeaders behindProxy(String clientAddress) {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.add("X-Forwarded-For", clientAddress);
		return headers;
	}

	@Configuration(proxyBeanMethods = false)
	static class CountingTokens {

		final AtomicInteger resolved = new AtomicInteger();

		@Bean
		@Primary
		TokenResolver countingTokens() {
			TestTokens tokens = new TestTokens();
			return (token) -> {
				this.resolved.incrementAndGet();
				return tokens.resolve(token);
			};
		}

	}

}
