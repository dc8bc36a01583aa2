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

package io.github.notifystomp.guard.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.RefusedFrameException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DestinationGuard}: where a client may subscribe and send, frame by
 * frame, without a server.
 */
class DestinationGuardTests {

	private final DestinationGuard guard = new DestinationGuard("/user/queue/notify", "/topic/notify", "/app",
			List.of("/topic/rooms/*"), NotifyMetrics.NONE);

	@ParameterizedTest
	@ValueSource(strings = { "/user/queue/notify", "/topic/notify", "/topic/rooms/42" })
	void whenAClientSubscribesToItsOwnQueueTheBroadcastOrAnExtraPatternThenTheFramePasses(String destination) {
		Message<byte[]> subscribe = frame(StompCommand.SUBSCRIBE, destination, Map.of());

		assertThat(this.guard.preSend(subscribe, null)).isSameAs(subscribe);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/user/bob/queue/notify", "/queue/notify-userabc123", "/queue/notify", "/topic/other",
			"/topic/rooms/42/../../notify", "/topic/rooms/%34%32", "/topic//notify", "/topic/rooms/4 2",
			"/topic/rooms/*", "/topic/rooms/", "topic/notify", "/user/queue/notify/../../bob/queue/notify" })
	void whenAClientSubscribesAnywhereElseThenItIsRefusedWithAFixedText(String destination) {
		assertRefused(frame(StompCommand.SUBSCRIBE, destination, Map.of()), "Subscription not allowed: ");
	}

	@Test
	void whenASubscribeCarriesASelectorAnUnknownAckModeOrNoDestinationThenItIsRefused() {
		assertRefused(frame(StompCommand.SUBSCRIBE, "/topic/notify", Map.of("selector", "headers['x'] == 1")),
				"Selector header not supported");
		assertRefused(frame(StompCommand.SUBSCRIBE, "/topic/notify", Map.of("ack", "sometimes")), "Invalid ack mode");
		assertRefused(frame(StompCommand.SUBSCRIBE, null, Map.of()), "Missing destination");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "1.5", "abc", "", "99999999999999999999", " 7" })
	void whenNotifySinceIsNotANonNegativeIntegerThenTheSubscribeIsRefused(String since) {
		assertRefused(frame(StompCommand.SUBSCRIBE, "/user/queue/notify", Map.of("notify-since", since)),
				"Invalid notify-since header");
		assertThat(DestinationGuard.parseSince(since)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "e\u0000", "x{}",
			"12345678901234567890123456789012345678901234567890123456789012345" })
	void whenNotifyEpochIsNotAnEpochThenTheSubscribeIsRefused(String epoch) {
		assertRefused(
				frame(StompCommand.SUBSCRIBE, "/user/queue/notify", Map.of("notify-since", "3", "notify-epoch", epoch)),
				"Invalid notify-epoch header");
	}

	@Test
	void whenNotifySinceIsANonNegativeIntegerThenItIsRead() {
		assertThat(DestinationGuard.parseSince("0")).isZero();
		assertThat(DestinationGuard.parseSince("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void whenAClientSendsUnderTheApplicationPrefixThenTheFramePassesAndElsewhereItIsRefused() {
		Message<byte[]> send = frame(StompCommand.SEND, "/app/chat", Map.of());
		assertThat(this.guard.preSend(send, null)).isSameAs(send);

		for (String destination : new String[] { "/topic/notify", "/user/bob/queue/notify", "/app/../topic/notify",
				"/application/x", "/app" }) {
			assertRefused(frame(StompCommand.SEND, destination, Map.of()), "Send not allowed: ");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "notify-seq", "Notify-Id", "simpUser", "originalDestination", "selector" })
	void whenASendCarriesAReservedHeaderThenItIsRefused(String header) {
		assertRefused(frame(StompCommand.SEND, "/app/chat", Map.of(header, "x")), "Reserved header: " + header);
	}

	@ParameterizedTest
	@ValueSource(strings = { "MESSAGE", "RECEIPT", "ERROR", "CONNECTED" })
	void whenAClientSendsAServerFrameThenItIsRefused(String command) {
		assertRefused(frame(StompCommand.valueOf(command), null, Map.of()), "Frame not allowed: " + command);
	}

	private void assertRefused(Message<byte[]> message, String clientText) {
		assertThatExceptionOfType(RefusedFrameException.class).isThrownBy(() -> this.guard.preSend(message, null))
			.satisfies((ex) -> assertThat(ex.getClientText()).startsWith(clientText));
	}

	static Message<byte[]> frame(StompCommand command, String destination, Map<String, String> headers) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		accessor.setSessionId("s-1");
		if (destination != null) {
			accessor.setDestination(destination);
		}
		if (command == StompCommand.SUBSCRIBE || command == StompCommand.UNSUBSCRIBE) {
			accessor.setSubscriptionId(headers.getOrDefault("id", "sub-1"));
		}
		headers.forEach(accessor::setNativeHeader);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
