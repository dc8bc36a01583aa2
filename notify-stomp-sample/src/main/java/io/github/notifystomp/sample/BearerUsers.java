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

package io.github.notifystomp.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;

/**
 * Authenticates REST calls with the same demo tokens the STOMP connection uses, before
 * Spring MVC reads the request body: a caller without a valid token gets 401 at once,
 * whatever it sends.
 */
@Component
class BearerUsers implements HandlerInterceptor {

	/**
	 * The request attribute that holds the authenticated {@link NotifyUser}.
	 */
	static final String USER = "io.github.notifystomp.sample.user";

	private final DemoTokens tokens;

	BearerUsers(DemoTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		request.setAttribute(USER, require(request.getHeader("Authorization")));
		return true;
	}

	NotifyUser require(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new UnauthorizedException("Missing or malformed Authorization header, expected 'Bearer <token>'");
		}
		try {
			return this.tokens.verify(authorization.substring(7).trim());
		}
		catch (InvalidTokenException ex) {
			throw new UnauthorizedException(ex.isExpired() ? "Token expired" : "Invalid token");
		}
	}

}
