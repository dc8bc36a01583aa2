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

package io.github.notifystomp.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringFrameworkFloor}: which running Framework versions get a warning.
 */
class SpringFrameworkFloorTests {

	@ParameterizedTest(name = "{0}: warn {1}")
	@CsvSource(textBlock = """
			6.2.19,          false
			6.2.20,          false
			6.2.12,          true
			6.2.18,          true
			7.0.10,          false
			7.0.11-SNAPSHOT, false
			7.0.8,           true
			7.0.0-RC1,       true
			7.1.0,           false
			8.0.0-M1,        false
			6.1.21,          true
			unknown,         false
			""")
	void whenAVersionIsBelowTheFloorOfItsLineThenThereIsAWarning(String version, boolean warns) {
		String warning = SpringFrameworkFloor.warning(version);
		assertThat(warning != null).isEqualTo(warns);
		if (warning != null) {
			assertThat(warning).contains(version);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(textBlock = """
			6.2.12, 6.2.19
			7.0.8,  7.0.10
			""")
	void whenThereIsAWarningThenItNamesTheFloorToUpgradeTo(String version, String floor) {
		assertThat(SpringFrameworkFloor.warning(version)).contains("below " + floor).contains(floor + " or later");
	}

}
