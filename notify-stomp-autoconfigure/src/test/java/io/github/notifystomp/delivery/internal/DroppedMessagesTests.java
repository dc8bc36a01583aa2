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
package io.github.notifystomp.delivery.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.notifystomp.metrics.NotifyMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No drop is silent: every message the starter drops is counted with its reason, and
 * every reason is logged as a WARN at least once a minute while it happens, and not more
 * often.
 */
@ExtendWith(OutputCaptureExtension.class)
class DroppedMessagesTests {

	// every reason the starter reports
	private static final List<String> REASONS = List.of("slow-consumer", "session-closed", "not-subscribed",
			"no-session", "send-failed", "not-sent", "replay-overflow", "draining", "relay-unavailable", "relay-failed",
			"delivery-failed", "route-failed", "store-failed", "attempts-exhausted", "redelivery-queue-full");

	private final Map<String, Integer> counted = new ConcurrentHashMap<>();

	private final AtomicLong clock = new AtomicLong(1_000);

	private final DroppedMessages drops = new DroppedMessages(new NotifyMetrics() {

		@Override
		public void messageDropped(String reason) {
			DroppedMessagesTests.this.counted.merge(reason, 1, Integer::sum);
		}

	}, this.clock::get);

	@Test
	void whenMessagesAreDroppedForAnyReasonThenEachIsCountedAndEachReasonIsLoggedAtOnce(CapturedOutput output) {
		for (String reason : REASONS) {
			this.drops.dropped(reason, () -> "message m-" + reason);
			this.drops.dropped(reason, 2, () -> "message n-" + reason);
		}

		for (String reason : REASONS) {
			assertThat(this.counted.get(reason)).as(reason).isEqualTo(3);
			assertThat(lines(output, reason)).as(reason)
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN")
					.contains("notify-stomp dropped 1 message(s) (reason: " + reason + ", counted in")
					.contains("latest: message m-" + reason));
		}
	}

	@Test
	void whenDropsGoOnThenEachReasonIsLoggedOnceAMinuteWithTheCountSinceTheLastLine(CapturedOutput output) {
		this.drops.dropped("slow-consumer", () -> "first");
		this.clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
		AtomicBoolean asked = new AtomicBoolean();
		this.drops.dropped("slow-consumer", 5, () -> {
			asked.set(true);
			return "not logged";
		});
		this.drops.dropped("not-subscribed", () -> "another reason is logged at once");
		assertThat(asked).as("detail of a drop that is not logged").isFalse();
		assertThat(lines(output, "slow-consumer")).hasSize(1);
		assertThat(lines(output, "not-subscribed")).hasSize(1);

		this.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
		this.drops.dropped("slow-consumer", () -> "a minute later");

		assertThat(lines(output, "slow-consumer")).hasSize(2)
			.last()
			.satisfies((line) -> assertThat(line).contains("dropped 6 message(s) in the last minute")
				.contains("latest: a minute later"));
		assertThat(this.counted.get("slow-consumer")).isEqualTo(7);
	}

	private static List<String> lines(CapturedOutput output, String reason) {
		return output.getOut().lines().filter((line) -> line.contains("(reason: " + reason + ",")).toList();
	}

}
