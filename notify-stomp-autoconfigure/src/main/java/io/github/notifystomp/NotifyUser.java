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

package io.github.notifystomp;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * The user a {@link TokenResolver} found in a token: becomes the {@link Principal} of the
 * STOMP session.
 *
 * @param id the user id, also the principal name; it must not contain {@code /},
 * {@code %}, {@code ..}, whitespace or control characters, and is at most 255 characters
 * @param authorities the granted authorities, empty when none
 * @param expiresAt when the token expires and the session is closed, or {@code null} for
 * never
 */
public record NotifyUser(String id, Set<String> authorities, Instant expiresAt) implements Principal {

	/**
	 * Create a user, copying the authorities.
	 * @param id the user id
	 * @param authorities the authorities, {@code null} for none
	 * @param expiresAt the expiry, or {@code null}
	 */
	public NotifyUser {
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("User id must not be empty");
		}
		authorities = (authorities != null) ? Set.copyOf(authorities) : Set.of();
	}

	/**
	 * Create a user without authorities and without expiry.
	 * @param id the user id
	 * @return the user
	 */
	public static NotifyUser of(String id) {
		return new NotifyUser(id, Set.of(), null);
	}

	/**
	 * Create a user without authorities whose session ends at the given time.
	 * @param id the user id
	 * @param expiresAt the expiry, or {@code null} for never
	 * @return the user
	 */
	public static NotifyUser of(String id, Instant expiresAt) {
		return new NotifyUser(id, Set.of(), expiresAt);
	}

	@Override
	public String getName() {
		return this.id;
	}

	/**
	 * Whether the token has expired at the given time.
	 * @param now the time to check
	 * @return {@code true} if expired
	 */
	public boolean isExpiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}
