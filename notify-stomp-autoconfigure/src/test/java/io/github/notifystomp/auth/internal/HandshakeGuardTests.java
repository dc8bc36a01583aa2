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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the token-in-URL check of {@link HandshakeGuard}.
 */
class HandshakeGuardTests {

	@ParameterizedTest
	@ValueSource(strings = { "access_token=abc", "access%5Ftoken=abc", "ACCESS%5fTOKEN=abc", "x=1&token=abc",
			"Authorization=Bearer%20abc", "%6Awt=abc", "bearer", "auth=" })
	void whenTheQueryNamesATokenParameterThenItIsFoundAlsoWhenEncoded(String query) {
		assertThat(HandshakeGuard.hasTokenParameter(query)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "v=1", "tokens=2", "x=access_token", "access_tokenx=1", "%zz=1", "t%6Fken_type=a" })
	void whenTheQueryNamesNoTokenParameterThenTheHandshakeGoesOn(String query) {
		assertThat(HandshakeGuard.hasTokenParameter(query)).isFalse();
	}

}
