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

import java.time.Instant;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.UserIds;

/**
 * The demo login: anyone may get a token for any user name. A real application issues
 * tokens after checking a password.
 */
@RestController
@RequestMapping("/api/demo")
class DemoController {

	private final DemoTokens tokens;

	DemoController(DemoTokens tokens) {
		this.tokens = tokens;
	}

	@PostMapping("/token")
	TokenResponse token(@RequestBody TokenRequest request) {
		if (request == null || request.user() == null || request.user().isBlank()) {
			throw new BadRequestException("Field 'user' is required");
		}
		if (!UserIds.isValid(request.user())) {
			throw new BadRequestException(
					"Field 'user' must be 1 to 255 characters without '/', '\\', '%', '..', spaces or control characters");
		}
		DemoTokens.Issued issued = this.tokens.issue(request.user());
		return new TokenResponse(issued.token(), issued.expiresAt());
	}

	record TokenRequest(String user) {
	}

	record TokenResponse(String token, Instant expiresAt) {
	}

}
