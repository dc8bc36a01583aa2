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
 * The rule for user ids: they become part of destinations and Redis keys, so nothing in
 * them may form another destination.
 */
public final class UserIds {

	/**
	 * The longest user id accepted.
	 */
	public static final int MAX_LENGTH = 255;

	private UserIds() {
	}

	/**
	 * Whether a user id is acceptable: 1 to 255 characters, none of them {@code /},
	 * {@code \}, {@code %}, whitespace, a control character or an invisible formatting
	 * character (zero-width characters, bidirectional overrides, the byte order mark), no
	 * unpaired surrogate, and no {@code ..}. The invisible characters would let
	 * {@code b\u202Eob} or {@code bob\u200B} pass for {@code bob} in logs and screens.
	 * @param userId the id, may be {@code null}
	 * @return {@code true} if acceptable
	 */
	public static boolean isValid(String userId) {
		if (userId == null || userId.isEmpty() || userId.length() > MAX_LENGTH || userId.contains("..")) {
			return false;
		}
		for (int i = 0; i < userId.length();) {
			int c = userId.codePointAt(i);
			if (c == '/' || c == '\\' || c == '%' || Character.isWhitespace(c) || Character.isISOControl(c)
					|| Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
					|| Character.getType(c) == Character.SURROGATE) {
				return false;
			}
			i += Character.charCount(c);
		}
		return true;
	}

	/**
	 * Check a user id given to the template.
	 * @param userId the id
	 * @return the id
	 * @throws IllegalArgumentException if it is not acceptable
	 */
	public static String require(String userId) {
		if (userId == null) {
			throw new IllegalArgumentException("User id must not be null");
		}
		if (!isValid(userId)) {
			throw new IllegalArgumentException("User id is not valid: 1 to " + MAX_LENGTH
					+ " characters without '/', '\\', '%', '..', whitespace, control or invisible characters");
		}
		return userId;
	}

}
