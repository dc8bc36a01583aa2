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

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;

/**
 * A {@link TokenResolver} that verifies JWTs with the application's Spring Security
 * {@link JwtDecoder}: the configured claim ({@code sub} by default) is the user id, the
 * {@code scope} or {@code scp} claim gives {@code SCOPE_} authorities, and {@code exp}
 * ends the session.
 */
public class JwtTokenResolver implements TokenResolver {

	private final JwtDecoder jwtDecoder;

	private final String userClaim;

	/**
	 * Create a resolver.
	 * @param jwtDecoder decodes and validates tokens
	 * @param userClaim the claim that holds the user id
	 */
	public JwtTokenResolver(JwtDecoder jwtDecoder, String userClaim) {
		this.jwtDecoder = jwtDecoder;
		this.userClaim = userClaim;
	}

	@Override
	public NotifyUser resolve(String token) {
		Jwt jwt;
		try {
			jwt = this.jwtDecoder.decode(token);
		}
		catch (JwtValidationException ex) {
			boolean expired = ex.getErrors()
				.stream()
				.anyMatch((error) -> error.getDescription() != null && error.getDescription().contains("expired"));
			throw new InvalidTokenException(expired ? "JWT expired" : "JWT failed validation", expired);
		}
		catch (JwtException ex) {
			throw new InvalidTokenException("JWT rejected by the decoder (" + ex.getClass().getSimpleName() + ")");
		}
		Object userId = jwt.getClaims().get(this.userClaim);
		if (!(userId instanceof String id) || id.isEmpty()) {
			throw new InvalidTokenException("JWT has no string claim '" + this.userClaim + "'");
		}
		return new NotifyUser(id, scopes(jwt), jwt.getExpiresAt());
	}

	private static Set<String> scopes(Jwt jwt) {
		Set<String> authorities = new LinkedHashSet<>();
		for (String claim : new String[] { "scope", "scp" }) {
			Object value = jwt.getClaims().get(claim);
			if (value instanceof String text) {
				for (String scope : text.split(" ")) {
					if (!scope.isBlank()) {
						authorities.add("SCOPE_" + scope);
					}
				}
			}
			else if (value instanceof Collection<?> scopes) {
				scopes.forEach((scope) -> authorities.add("SCOPE_" + scope));
			}
		}
		return authorities;
	}

}
