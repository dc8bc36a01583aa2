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
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.springframework.scheduling.TaskScheduler;

/**
 * The token-expiry timers of the sessions, each of which closes its session at the
 * instant its token expires. A timer exists only once the expiry is near: a session whose
 * token expires within two sweep periods gets one when it opens, the others from a sweep
 * over the sessions every period. A scheduled task costs some two hundred bytes, and most
 * sessions are idle for hours before their tokens expire.
 */
final class ExpiryTimers {

	static final Duration PERIOD = Duration.ofSeconds(10);

	private final TaskScheduler scheduler;

	private final Duration period;

	private final Consumer<LocalSession> expire;

	private final AtomicBoolean sweeping = new AtomicBoolean();

	ExpiryTimers(TaskScheduler scheduler, Consumer<LocalSession> expire) {
		this(scheduler, expire, PERIOD);
	}

	ExpiryTimers(TaskScheduler scheduler, Consumer<LocalSession> expire, Duration period) {
		this.scheduler = scheduler;
		this.expire = expire;
		this.period = period;
	}

	/**
	 * Arm the timer of a session that opened, now if its token expires soon, else from
	 * the sweep, which starts with the first such session.
	 * @param session the session
	 * @param sessions every session, for the sweep
	 */
	void opened(LocalSession session, Collection<LocalSession> sessions) {
		Instant expiresAt = session.user().expiresAt();
		if (expiresAt == null) {
			return;
		}
		if (expiresAt.isBefore(horizon())) {
			arm(session, expiresAt);
		}
		else if (this.sweeping.compareAndSet(false, true)) {
			this.scheduler.scheduleAtFixedRate(() -> sweep(sessions), Instant.now().plus(this.period), this.period);
		}
	}

	private void sweep(Collection<LocalSession> sessions) {
		Instant horizon = horizon();
		for (LocalSession session : sessions) {
			Instant expiresAt = session.user().expiresAt();
			if (expiresAt != null && expiresAt.isBefore(horizon)) {
				arm(session, expiresAt);
			}
		}
	}

	private void arm(LocalSession session, Instant expiresAt) {
		session.armExpiry(() -> this.scheduler.schedule(() -> this.expire.accept(session), expiresAt));
	}

	// two periods ahead: the next sweep comes within one, so it arms every timer at least
	// a period before the timer fires
	private Instant horizon() {
		return Instant.now().plus(this.period.multipliedBy(2));
	}

}
