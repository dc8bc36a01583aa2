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

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import io.github.notifystomp.UserIds;
import io.github.notifystomp.transport.internal.LogText;

/**
 * The endpoint that issues a CONNECT ticket to the user of an authenticated request
 * (Spring Security's current {@code Authentication}: a form login session, HTTP Basic,
 * anything the application's security accepts). Answers {@code 200} with
 * {@code {"ticket": "...", "expiresAt": "..."}}, {@code 401} when the request is not
 * authenticated. CSRF protection, when the application has it, applies as to any other
 * POST.
 */
public class TicketEndpoint implements HandlerFunction<ServerResponse> {

	private static final Log logger = LogFactory.getLog(TicketEndpoint.class);

	private final ConnectTickets tickets;

	/**
	 * Create the endpoint.
	 * @param tickets issues the tickets
	 */
	public TicketEndpoint(ConnectTickets tickets) {
		this.tickets = tickets;
	}

	@Override
	public ServerResponse handle(ServerRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return error(HttpStatus.UNAUTHORIZED, "Not authenticated");
		}
		String userId = authentication.getName();
		if (!UserIds.isValid(userId)) {
			logger.warn("Refused a CONNECT ticket to user '" + LogText.of(userId)
					+ "': the name could form a destination (it contains '/', '%', '..', whitespace or control"
					+ " characters, or is longer than " + UserIds.MAX_LENGTH + ")");
			return error(HttpStatus.FORBIDDEN, "Invalid user id");
		}
		List<String> authorities = new ArrayList<>();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			authorities.add(authority.getAuthority());
		}
		ConnectTickets.Ticket ticket = this.tickets.issue(userId, authorities);
		if (logger.isDebugEnabled()) {
			logger.debug(
					"Issued a CONNECT ticket to user '" + LogText.of(userId) + "', valid until " + ticket.expiresAt());
		}
		// base64url and an ISO instant: nothing to escape
		return ServerResponse.ok()
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"ticket\":\"" + ticket.value() + "\",\"expiresAt\":\"" + ticket.expiresAt() + "\"}");
	}

	private static ServerResponse error(HttpStatus status, String text) {
		return ServerResponse.status(status)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"error\":\"" + text + "\"}");
	}

}
