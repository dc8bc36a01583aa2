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

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;

/**
 * A {@link TokenResolver} that verifies JWTs with the application's Spring Security
 * {@link JwtDecoder} and turns them into a user the way Spring Security's resource server
 * does over HTTP: the converter's {@code Authentication.getName()} is the user id and its
 * authorities are the user's ({@code sub} and {@code SCOPE_} authorities from
 * {@code scope} or {@code scp} with Spring Security's defaults); {@code exp} ends the
 * session. A configured user claim overrides the converter's name. Without a converter
 * (Spring Security's resource server is not on the class path) it does the same as Spring
 * Security's defaults.
 */
public class JwtTokenResolver implements TokenResolver {

	private final JwtDecoder jwtDecoder;

	private final Converter<Jwt, ? extends Authentication> authenticationConverter;

	private final String userClaim;

	/**
	 * Create a resolver with Spring Security's default conversion: the {@code sub} claim,
	 * {@code SCOPE_} authorities from {@code scope} or {@code scp}.
	 * @param jwtDecoder decodes and validates tokens
	 * @param userClaim the claim that holds the user id, or {@code null} for {@code sub}
	 */
	public JwtTokenResolver(JwtDecoder jwtDecoder, String userClaim) {
		this(jwtDecoder, null, userClaim);
	}

	/**
	 * Create a resolver.
	 * @param jwtDecoder decodes and validates tokens
	 * @param authenticationConverter turns a JWT into the {@code Authentication} whose
	 * name and authorities the user gets, as the resource server does over HTTP;
	 * {@code null} for Spring Security's defaults
	 * @param userClaim the claim that holds the user id, overriding the converter's name,
	 * or {@code null} to use the converter's name
	 */
	public JwtTokenResolver(JwtDecoder jwtDecoder, Converter<Jwt, ? extends Authentication> authenticationConverter,
			String userClaim) {
		this.jwtDecoder = jwtDecoder;
		this.authenticationConverter = authenticationConverter;
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
		if (this.authenticationConverter == null) {
			return new NotifyUser(claim(jwt, (this.userClaim != null) ? this.userClaim : "sub"), scopes(jwt),
					jwt.getExpiresAt());
		}
		Authentication authentication;
		try {
			authentication = this.authenticationConverter.convert(jwt);
		}
		catch (RuntimeException ex) {
			// the converter's text may quote claims: its class only
			throw new InvalidTokenException("JWT authentication converter failed (" + ex.getClass().getName() + ")");
		}
		if (authentication == null) {
			throw new InvalidTokenException("JWT authentication converter returned no authentication");
		}
		String id = (this.userClaim != null) ? claim(jwt, this.userClaim) : authentication.getName();
		if (id == null || id.isEmpty()) {
			throw new InvalidTokenException("JWT has no principal name (its principal claim is missing)");
		}
		return new NotifyUser(id, authorities(authentication), jwt.getExpiresAt());
	}

	private static String claim(Jwt jwt, String name) {
		Object claim = jwt.getClaims().get(name);
		if (!(claim instanceof String text) || text.isEmpty()) {
			throw new InvalidTokenException("JWT has no string claim '" + name + "'");
		}
		return text;
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

	private static Set<String> authorities(Authentication authentication) {
		Set<String> authorities = new LinkedHashSet<>();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority.getAuthority() != null) {
				authorities.add(authority.getAuthority());
			}
		}
		return authorities;
	}

}
