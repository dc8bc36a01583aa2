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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * How Spring Security turns a JWT into an {@code Authentication} in this application, so
 * that the STOMP user is the same as {@code Authentication.getName()} over HTTP: the
 * application's {@link JwtAuthenticationConverter} bean when there is one (Spring
 * Security's resource server uses it too), otherwise one built from Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.principal-claim-name},
 * {@code authorities-claim-name}, {@code authority-prefix} and
 * {@code authorities-claim-delimiter}, read with the binder because Boot's properties
 * class moved between its lines.
 */
public final class SpringSecurityJwtSettings {

	private static final Log logger = LogFactory.getLog(JwtTokenResolver.class);

	private static final String PREFIX = "spring.security.oauth2.resourceserver.jwt.";

	private final String principalClaimName;

	private final String authoritiesClaimName;

	private final String authorityPrefix;

	private final String authoritiesClaimDelimiter;

	/**
	 * Create settings.
	 * @param principalClaimName the claim of the principal name, or {@code null} for
	 * Spring Security's default ({@code sub})
	 * @param authoritiesClaimName the claim of the authorities, or {@code null} for
	 * {@code scope} / {@code scp}
	 * @param authorityPrefix the prefix of each authority, or {@code null} for
	 * {@code SCOPE_}
	 * @param authoritiesClaimDelimiter what separates authorities in a string claim, or
	 * {@code null} for a space
	 */
	public SpringSecurityJwtSettings(String principalClaimName, String authoritiesClaimName, String authorityPrefix,
			String authoritiesClaimDelimiter) {
		this.principalClaimName = principalClaimName;
		this.authoritiesClaimName = authoritiesClaimName;
		this.authorityPrefix = authorityPrefix;
		this.authoritiesClaimDelimiter = authoritiesClaimDelimiter;
	}

	/**
	 * Read Spring Boot's resource server settings.
	 * @param environment the application's environment
	 * @return the settings, each {@code null} when not set
	 */
	public static SpringSecurityJwtSettings of(Environment environment) {
		Binder binder = Binder.get(environment);
		return new SpringSecurityJwtSettings(read(binder, "principal-claim-name"),
				read(binder, "authorities-claim-name"), read(binder, "authority-prefix"),
				read(binder, "authorities-claim-delimiter"));
	}

	private static String read(Binder binder, String name) {
		return binder.bind(PREFIX + name, String.class).orElse(null);
	}

	/**
	 * Return the claim Spring Security takes the principal name from.
	 * @return the claim, {@code sub} when not set
	 */
	public String principalClaimName() {
		return (this.principalClaimName != null) ? this.principalClaimName : "sub";
	}

	/**
	 * Build the converter Spring Boot builds from these settings.
	 * @return a converter that takes the principal name and authorities as Spring
	 * Security does with these settings
	 */
	public JwtAuthenticationConverter converter() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		if (this.authorityPrefix != null) {
			authorities.setAuthorityPrefix(this.authorityPrefix);
		}
		if (this.authoritiesClaimDelimiter != null) {
			authorities.setAuthoritiesClaimDelimiter(this.authoritiesClaimDelimiter);
		}
		if (this.authoritiesClaimName != null) {
			authorities.setAuthoritiesClaimName(this.authoritiesClaimName);
		}
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		if (this.principalClaimName != null) {
			converter.setPrincipalClaimName(this.principalClaimName);
		}
		return converter;
	}

	/**
	 * Log a warning when {@code notify.stomp.auth.jwt.user-claim} makes the STOMP user
	 * differ from the principal name Spring Security gives the same token over HTTP.
	 * @param userClaim the configured user claim, or {@code null} when not set
	 * @param applicationConverter whether the application defines its own
	 * {@link JwtAuthenticationConverter} bean
	 * @return the warning logged, or {@code null} when they agree
	 */
	public String warnIfUserClaimDisagrees(String userClaim, boolean applicationConverter) {
		String warning = null;
		if (userClaim != null && applicationConverter) {
			warning = "notify-stomp: notify.stomp.auth.jwt.user-claim=" + userClaim + " overrides the principal name"
					+ " that the application's JwtAuthenticationConverter gives the same token over HTTP, so"
					+ " Authentication.getName() and the STOMP user may differ and sendToUser(auth.getName(), ...)"
					+ " may reach nobody. Remove notify.stomp.auth.jwt.user-claim to follow the converter.";
		}
		else if (userClaim != null && !userClaim.equals(principalClaimName())) {
			warning = "notify-stomp: notify.stomp.auth.jwt.user-claim=" + userClaim + " disagrees with Spring"
					+ " Security's principal claim '" + principalClaimName() + "' ("
					+ ((this.principalClaimName != null) ? PREFIX + "principal-claim-name" : "its default")
					+ "): the STOMP user is the '" + userClaim + "' claim while Authentication.getName() over HTTP"
					+ " is the '" + principalClaimName() + "' claim, so sendToUser(auth.getName(), ...) may reach"
					+ " nobody. Set one of them, not both (" + PREFIX + "principal-claim-name=" + userClaim
					+ " makes both the same).";
		}
		if (warning != null) {
			logger.warn(warning);
		}
		return warning;
	}

}
