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

import java.security.Principal;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.util.ClassUtils;

import io.github.notifystomp.NotifyUser;

/**
 * Converts between the {@link NotifyUser} of a session and the {@link Principal} Spring
 * keeps for it. With Spring Security present the principal is an authenticated
 * {@code Authentication}, so the application's message authorization rules see the user's
 * authorities.
 */
public final class SessionPrincipals {

	private static final boolean securityPresent = ClassUtils
		.isPresent("org.springframework.security.core.Authentication", SessionPrincipals.class.getClassLoader());

	private SessionPrincipals() {
	}

	/**
	 * Return the principal to set on the session.
	 * @param user the authenticated user
	 * @return the principal, whose name is the user id
	 */
	public static Principal toPrincipal(NotifyUser user) {
		return securityPresent ? Security.authentication(user) : user;
	}

	/**
	 * Return the user behind a session principal.
	 * @param principal the principal, may be {@code null}
	 * @return the user, or {@code null} if the session was not authenticated by the
	 * starter
	 */
	public static NotifyUser toUser(Principal principal) {
		if (principal instanceof NotifyUser user) {
			return user;
		}
		return securityPresent ? Security.user(principal) : null;
	}

	private static final class Security {

		static Principal authentication(NotifyUser user) {
			return UsernamePasswordAuthenticationToken.authenticated(user, null,
					AuthorityUtils.createAuthorityList(user.authorities()));
		}

		static NotifyUser user(Principal principal) {
			if (principal instanceof Authentication authentication
					&& authentication.getPrincipal() instanceof NotifyUser user) {
				return user;
			}
			return null;
		}

	}

}
