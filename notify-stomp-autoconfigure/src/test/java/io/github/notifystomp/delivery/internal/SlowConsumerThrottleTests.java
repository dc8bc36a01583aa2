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

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SlowConsumerThrottle}: per user, beyond the tolerated closes within
 * the window, until the oldest leaves it.
 */
class SlowConsumerThrottleTests {

	@Test
	void whenAUserHasMoreSlowClosesThanToleratedThenOnlyThatUserIsRefusedUntilTheWindowPasses() {
		SlowConsumerThrottle throttle = new SlowConsumerThrottle(2, Duration.ofSeconds(2));
		throttle.record("ann");
		throttle.record("ann");
		assertThat(throttle.retryAfter("ann")).isNull();

		throttle.record("ann");

		assertThat(throttle.retryAfter("ann")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(throttle.retryAfter("bob")).isNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> throttle.retryAfter("ann") == null);
	}

	@Test
	void whenTheThrottleIsOffThenNobodyIsRefused() {
		SlowConsumerThrottle throttle = new SlowConsumerThrottle(0, Duration.ofMinutes(1));
		for (int i = 0; i < 100; i++) {
			throttle.record("ann");
		}
		assertThat(throttle.retryAfter("ann")).isNull();
	}

}
