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

package io.github.notifystomp.test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;

/**
 * The token resolver of the test application: {@code valid-<user>} is that user,
 * {@code expiring-<seconds>-<user>} expires after that many seconds from now,
 * {@code expired-<user>} is expired, {@code admin-<user>} has {@code ROLE_ADMIN},
 * {@code signed.<user>.<sig>} is that user, {@code user-<base64url>} is the decoded user
 * id, {@code boom} makes the resolver throw something that is not an
 * {@link InvalidTokenException}; everything else is rejected.
 */
public class TestTokens implements TokenResolver {

	/**
	 * Return the token that makes the resolver return exactly this user id.
	 */
	public static String forUserId(String userId) {
		return "user-"
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(userId.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public NotifyUser resolve(String token) {
		if (token.startsWith("valid-")) {
			return NotifyUser.of(token.substring(6));
		}
		if (token.startsWith("signed.")) {
			// signed.<user>.<signature>: lets a test look for the signature in the logs
			return NotifyUser.of(token.split("\\.")[1]);
		}
		if (token.startsWith("admin-")) {
			return new NotifyUser(token.substring(6), Set.of("ROLE_ADMIN"), null);
		}
		if (token.startsWith("expiring-")) {
			String[] parts = token.split("-", 3);
			return NotifyUser.of(parts[2], Instant.now().plusSeconds(Long.parseLong(parts[1])));
		}
		if (token.startsWith("expired-")) {
			throw InvalidTokenException.expired();
		}
		if (token.startsWith("user-")) {
			// lets a test try user ids the auth layer must refuse
			return NotifyUser.of(new String(Base64.getUrlDecoder().decode(token.substring(5)), StandardCharsets.UTF_8));
		}
		if (token.equals("boom")) {
			throw new IllegalStateException("parser failed near token " + token);
		}
		throw new InvalidTokenException("unknown test token");
	}

}
