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

package io.github.notifystomp.compatibility;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.transport.internal.Handshakes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests of this module run on Jetty, and there the starter upgrades through
 * {@code jakarta.websocket} rather than Jetty's own API, which Spring would pick: only
 * then does each connection write asynchronously, so that a client that stops reading
 * holds no shared thread (what {@code SlowConsumerDropPolicyTests} checks end to end).
 */
@NotifyStompServerTest
class JettyContainerTests {

	@Autowired
	ServletWebServerApplicationContext context;

	@Test
	void theApplicationUnderTestRunsOnJetty() {
		assertThat(this.context.getWebServer().getClass().getName()).startsWith("org.springframework.boot.jetty.");
	}

	@Test
	void whereSpringWouldUpgradeThroughJettysApiTheStarterUpgradesThroughJakartaWebSocket() {
		assertThat(new DefaultHandshakeHandler().getRequestUpgradeStrategy().getClass().getSimpleName())
			.isEqualTo("JettyRequestUpgradeStrategy");
		DefaultHandshakeHandler handler = (DefaultHandshakeHandler) Handshakes.handler();
		assertThat(handler).isNotNull();
		assertThat(handler.getRequestUpgradeStrategy().getClass().getSimpleName())
			.isEqualTo("StandardWebSocketUpgradeStrategy");
	}

}
