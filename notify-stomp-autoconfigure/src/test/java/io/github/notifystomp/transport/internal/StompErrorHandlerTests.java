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

import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the ERROR texts of {@link StompErrorHandler}: a client reads one of a few
 * fixed texts, never an exception's own.
 */
class StompErrorHandlerTests {

	@Test
	void whenARefusalIsWrappedThenItsFixedTextIsTheErrorText() {
		RefusedFrameException refused = new RefusedFrameException("Invalid token", "resolver said: token 'abc'");

		assertThat(StompErrorHandler.clientText(new MessagingException("failed", refused))).isEqualTo("Invalid token");
	}

	@Test
	void whenTheDecoderOrSpringSecurityRefusesThenTheTextSaysSoWithoutTheirWords() {
		assertThat(StompErrorHandler.clientText(new StompConversionException("Illegal header: 'secret\\x'")))
			.isEqualTo("Malformed frame");
		assertThat(StompErrorHandler.clientText(new StompConversionException("The frame exceeds buffer size limit")))
			.isEqualTo("Frame too large");
		assertThat(StompErrorHandler.clientText(new MessagingException("x", new AccessDeniedException("no"))))
			.isEqualTo("Access denied");
	}

	@Test
	void whenSomethingUnforeseenFailsThenTheClientGetsTheGenericText() {
		assertThat(StompErrorHandler.clientText(new IllegalStateException("at /var/lib/app: password=hunter2")))
			.isEqualTo("Frame refused");
		assertThat(StompErrorHandler.clientText(new IllegalStateException("Unknown session: s-1")))
			.isEqualTo("Not connected: send CONNECT first");
	}

}
