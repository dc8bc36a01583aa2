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
package io.github.notifystomp.auth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.notifystomp.auth.TicketRedemptions;

/**
 * {@link TicketRedemptions} in this node's memory, for a single node. Only validly signed
 * tickets that have not expired reach it, and each entry is dropped once its ticket has
 * expired.
 */
public class MemoryTicketRedemptions implements TicketRedemptions {

	private final Map<String, Instant> used = new ConcurrentHashMap<>();

	private final AtomicInteger sinceCleanup = new AtomicInteger();

	private final Clock clock;

	/**
	 * Create redemptions on the system clock.
	 */
	public MemoryTicketRedemptions() {
		this(Clock.systemUTC());
	}

	/**
	 * Create redemptions.
	 * @param clock the clock tickets expire by
	 */
	public MemoryTicketRedemptions(Clock clock) {
		this.clock = clock;
	}

	@Override
	public boolean redeem(String ticketId, Instant expiresAt) {
		if (this.sinceCleanup.incrementAndGet() >= 100) {
			this.sinceCleanup.set(0);
			Instant now = this.clock.instant();
			this.used.values().removeIf((expiry) -> !now.isBefore(expiry));
		}
		return this.used.putIfAbsent(ticketId, expiresAt) == null;
	}

	int size() {
		return this.used.size();
	}

}
