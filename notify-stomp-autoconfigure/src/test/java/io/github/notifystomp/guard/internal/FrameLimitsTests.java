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

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;

import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.RefusedFrameException;

import static io.github.notifystomp.guard.internal.DestinationGuardTests.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FrameLimits}: the per-frame and per-session bounds, without a server.
 */
class FrameLimitsTests {

	private final FrameLimits limits = new FrameLimits(new FrameLimits.Settings(4, 16, 2, 1, 3), NotifyMetrics.NONE);

	@Test
	void whenAFrameHasTooManyOrTooLongHeadersThenItIsRefused() {
		assertRefused(frame(StompCommand.SEND, "/app/x", Map.of("a", "1", "b", "2", "c", "3", "d", "4")),
				"Too many headers");
		assertRefused(frame(StompCommand.SEND, "/app/x", Map.of("a", "x".repeat(17))), "Header too long");
	}

	@Test
	void whenASessionHoldsTheMostSubscriptionsThenANewOneIsRefusedAndAnEndedOneFreesItsPlace() {
		pass(subscribe("s1"));
		pass(subscribe("s2"));
		assertRefused(subscribe("s3"), "Too many subscriptions");

		pass(frame(StompCommand.UNSUBSCRIBE, null, Map.of("id", "s1")));
		pass(subscribe("s3"));
	}

	@Test
	void whenASessionReusesASubscriptionIdThenItIsRefusedAndDoesNotEscapeTheLimit() {
		pass(subscribe("s1"));
		for (int i = 0; i < 5; i++) {
			assertRefused(frame(StompCommand.SUBSCRIBE, "/t/o" + i, Map.of("id", "s1")),
					FrameLimits.SUBSCRIPTION_ID_IN_USE);
		}
		pass(frame(StompCommand.SUBSCRIBE, "/user/q/n", Map.of("id", "s2")));
		assertRefused(frame(StompCommand.SUBSCRIBE, "/t/o", Map.of("id", "s1")), FrameLimits.SUBSCRIPTION_ID_IN_USE);
		assertRefused(frame(StompCommand.SUBSCRIBE, "/t/o", Map.of("id", "s3")), "Too many subscriptions");
	}

	@Test
	void whenASessionSubscribesTwiceToOneDestinationThenTheSecondIsRefusedUntilTheFirstEnds() {
		pass(frame(StompCommand.SUBSCRIBE, "/user/q/n", Map.of("id", "a")));
		assertRefused(frame(StompCommand.SUBSCRIBE, "/user/q/n", Map.of("id", "b")), "Already subscribed to /user/q/n");

		pass(frame(StompCommand.UNSUBSCRIBE, null, Map.of("id", "a")));
		pass(frame(StompCommand.SUBSCRIBE, "/user/q/n", Map.of("id", "b")));
	}

	@Test
	void whenASessionSendsFasterThanItsRateAfterItsBurstThenItIsRefused() {
		for (int i = 0; i < 3; i++) {
			pass(frame(StompCommand.SEND, "/app/x", Map.of()));
		}
		assertRefused(frame(StompCommand.SEND, "/app/x", Map.of()), "Sending too fast");
	}

	@Test
	void whenASessionDisconnectsThenItsStateIsForgotten() {
		pass(frame(StompCommand.SEND, "/app/x", Map.of()));
		assertThat(this.limits.trackedSessions()).isEqualTo(1);

		pass(frame(StompCommand.DISCONNECT, null, Map.of()));

		assertThat(this.limits.trackedSessions()).isZero();
	}

	private Message<byte[]> subscribe(String id) {
		return frame(StompCommand.SUBSCRIBE, "/topic/" + id, Map.of("id", id));
	}

	private void pass(Message<byte[]> message) {
		assertThat(this.limits.preSend(message, null)).isSameAs(message);
	}

	private void assertRefused(Message<byte[]> message, String clientText) {
		assertThatExceptionOfType(RefusedFrameException.class).isThrownBy(() -> this.limits.preSend(message, null))
			.satisfies((ex) -> assertThat(ex.getClientText()).isEqualTo(clientText));
	}

}
