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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link UserIds}: which user ids can become part of a destination, a Redis key
 * and a log line.
 */
class UserIdsTests {

	@ParameterizedTest
	@ValueSource(strings = { "alice", "bob@example.com", "0f8e2c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b", "émile", "用户", "a.b",
			"a:b", "😀-emoji" })
	void whenAUserIdHasOnlyVisibleCharactersThenItIsValid(String userId) {
		assertThat(UserIds.isValid(userId)).isTrue();
		assertThat(UserIds.require(userId)).isEqualTo(userId);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", "a/b", "a\\b", "a%2Fb", "a..b", "a b", "a\tb", "a\nb", "a\u0000b", "a\u00A0b", "bob\u200B",
					"b\u202Eob", "\uFEFFbob", "b\u2066o\u2069b", "bo\u200Db", "bob\u00AD", "bob\u2028", "bob\uD800" })
	void whenAUserIdHasASeparatorWhitespaceOrAnInvisibleCharacterThenItIsRefused(String userId) {
		assertThat(UserIds.isValid(userId)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> UserIds.require(userId))
			.withMessageContaining("invisible");
	}

	@ParameterizedTest
	@ValueSource(ints = { 255, 256 })
	void whenAUserIdIsLongerThan255CharactersThenItIsRefused(int length) {
		assertThat(UserIds.isValid("a".repeat(length))).isEqualTo(length <= 255);
	}

}
