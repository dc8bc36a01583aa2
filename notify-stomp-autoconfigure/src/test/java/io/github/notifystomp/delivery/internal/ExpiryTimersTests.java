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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.github.notifystomp.NotifyUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExpiryTimers}: every session is expired at or after the instant its
 * token expires, whether its timer was armed when it opened or by a later sweep, and a
 * closing session gets no timer.
 */
class ExpiryTimersTests {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final Map<String, Instant> expired = new ConcurrentHashMap<>();

	private final ExpiryTimers timers;

	ExpiryTimersTests() {
		this.scheduler.initialize();
		this.timers = new ExpiryTimers(this.scheduler, (session) -> this.expired.put(session.id(), Instant.now()),
				Duration.ofMillis(100));
	}

	@AfterEach
	void stop() {
		this.scheduler.shutdown();
	}

	@Test
	void whenTokensExpireSoonOrLaterThenEachSessionIsExpiredOnceItsTokenHas() {
		Instant now = Instant.now();
		LocalSession soon = session("soon", now.plusMillis(50));
		LocalSession later = session("later", now.plusMillis(1500));
		LocalSession never = session("never", null);
		List<LocalSession> sessions = List.of(soon, later, never);
		sessions.forEach((session) -> this.timers.opened(session, sessions));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.expired.size() == 2);
		assertThat(this.expired.get("soon")).isAfterOrEqualTo(soon.user().expiresAt());
		assertThat(this.expired.get("later")).isAfterOrEqualTo(later.user().expiresAt());
		assertThat(this.expired).doesNotContainKey("never");
	}

	@Test
	void whenASessionClosesBeforeItsTimerIsArmedThenItGetsNone() {
		LocalSession closing = session("closing", Instant.now().plusMillis(600));
		LocalSession open = session("open", Instant.now().plusMillis(600));
		List<LocalSession> sessions = List.of(closing, open);
		closing.markClosing();
		sessions.forEach((session) -> this.timers.opened(session, sessions));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.expired.containsKey("open"));
		// the closing session's expiry, due at the same time, stays away
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !this.expired.containsKey("closing"));
		assertThat(this.expired).doesNotContainKey("closing");
	}

	private static LocalSession session(String id, Instant expiresAt) {
		return new LocalSession(id, NotifyUser.of(id, expiresAt), Instant.now(), null);
	}

}
