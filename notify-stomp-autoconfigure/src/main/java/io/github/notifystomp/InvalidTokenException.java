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

/**
 * Thrown by a {@link TokenResolver} that rejects a token. The client gets a fixed text
 * ({@code Invalid token} or {@code Token expired}); the reason given here goes only to
 * the server log, so it must never contain the token.
 */
public class InvalidTokenException extends RuntimeException {

	private final boolean expired;

	/**
	 * Create an exception for a token that is not valid.
	 * @param reason why, for the server log; must not contain the token
	 */
	public InvalidTokenException(String reason) {
		this(reason, false);
	}

	/**
	 * Create an exception for a token that is not valid or has expired.
	 * @param reason why, for the server log; must not contain the token
	 * @param expired whether the token was valid but has expired
	 */
	public InvalidTokenException(String reason, boolean expired) {
		super(reason, null, false, false);
		this.expired = expired;
	}

	/**
	 * Create an exception for an expired token.
	 * @return the exception
	 */
	public static InvalidTokenException expired() {
		return new InvalidTokenException("token expired", true);
	}

	/**
	 * Whether the token was rejected only because it has expired.
	 * @return {@code true} if expired
	 */
	public boolean isExpired() {
		return this.expired;
	}

}
