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
package io.github.notifystomp.auth;

import java.time.Instant;

/**
 * Remembers which CONNECT tickets were used, so that each is accepted once: in this
 * node's memory, or in Redis in cluster mode so that a ticket used on one node is refused
 * on every other.
 */
@FunctionalInterface
public interface TicketRedemptions {

	/**
	 * Redeem a ticket.
	 * @param ticketId the ticket's unique id
	 * @param expiresAt when the ticket expires: it need not be remembered longer
	 * @return {@code true} the first time, {@code false} if it was redeemed before (or
	 * cannot be checked, so that a ticket is never accepted twice)
	 */
	boolean redeem(String ticketId, Instant expiresAt);

}
