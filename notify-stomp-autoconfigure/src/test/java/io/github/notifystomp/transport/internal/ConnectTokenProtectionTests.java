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

package io.github.notifystomp.transport.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectTokenProtection}: the token leaves a CONNECT frame before
 * Spring decodes (and may log) it, and comes back only to the authentication.
 */
class ConnectTokenProtectionTests {

	private static final String CONNECT = "CONNECT\naccept-version:1.2\nAuthorization:Bearer s3cret-token\n"
			+ "host:x\n\n\0";

	@Test
	void whenAConnectCarriesTheTokenHeaderThenTheFrameKeepsOnlyAPlaceholderAndTheAttributeTheToken() {
		Map<String, Object> attributes = new HashMap<>();

		WebSocketMessage<?> protectedFrame = ConnectTokenProtection.protect(new TextMessage(CONNECT), attributes,
				"Authorization");

		assertThat((String) protectedFrame.getPayload()).doesNotContain("s3cret-token")
			.contains("Authorization:[PROTECTED]")
			.contains("host:x");
		assertThat(attributes.get(ConnectTokenProtection.ATTRIBUTE)).hasToString("[PROTECTED]");
		assertThat(take(attributes, ConnectTokenProtection.PLACEHOLDER)).containsExactly("Bearer s3cret-token");
		assertThat(attributes).doesNotContainKey(ConnectTokenProtection.ATTRIBUTE);
	}

	@Test
	void whenTheHeaderNameDiffersInCaseOrTheFrameIsBinaryWithCarriageReturnsThenTheTokenIsStillProtected() {
		Map<String, Object> attributes = new HashMap<>();
		String frame = "\nCONNECT\r\nauthorization:Bearer other-token\r\n\r\n\0";

		WebSocketMessage<?> protectedFrame = ConnectTokenProtection
			.protect(new BinaryMessage(frame.getBytes(StandardCharsets.UTF_8)), attributes, "Authorization");

		String text = StandardCharsets.UTF_8.decode(((BinaryMessage) protectedFrame).getPayload()).toString();
		assertThat(text).doesNotContain("other-token").contains("authorization:[PROTECTED]\r");
		assertThat(take(attributes, ConnectTokenProtection.PLACEHOLDER)).containsExactly("Bearer other-token");
	}

	@Test
	void whenAFrameIsNotAConnectOrHasNoTokenHeaderThenItIsLeftAlone() {
		Map<String, Object> attributes = new HashMap<>();
		TextMessage send = new TextMessage("SEND\ndestination:/app/x\nAuthorization:Bearer t\n\n\0");
		TextMessage connect = new TextMessage("CONNECT\naccept-version:1.2\n\n\0");

		assertThat(ConnectTokenProtection.protect(send, attributes, "Authorization")).isSameAs(send);
		assertThat(ConnectTokenProtection.protect(connect, attributes, "Authorization")).isSameAs(connect);
		assertThat(attributes).isEmpty();
	}

	@Test
	void whenTheBodyOfAConnectMentionsTheHeaderThenOnlyTheHeaderLineIsTouched() {
		Map<String, Object> attributes = new HashMap<>();
		String frame = "CONNECT\nAuthorization:Bearer t1\n\nAuthorization:Bearer not-a-header\0";

		String text = (String) ConnectTokenProtection.protect(new TextMessage(frame), attributes, "Authorization")
			.getPayload();

		assertThat(text).endsWith("\n\nAuthorization:Bearer not-a-header\0").doesNotContain("t1");
	}

	private static List<String> take(Map<String, Object> attributes, String headerValue) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.CONNECT);
		accessor.setNativeHeader("Authorization", headerValue);
		accessor.setSessionAttributes(attributes);
		return ConnectTokenProtection.take(accessor, "Authorization");
	}

}
