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

package io.github.notifystomp.compatibility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.SpringVersion;

import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot 4.0.7 ships Spring Framework 7.0.8, below the floor of the 4.x line: an
 * application on it is told so once at startup, and still runs.
 */
@ExtendWith(OutputCaptureExtension.class)
class FrameworkFloorWarningTests {

	@Test
	void whenTheFrameworkIsBelowTheFloorOfItsLineThenStartupWarnsOnceWithTheVersionToUse(CapturedOutput output) {
		assertThat(SpringVersion.getVersion()).isEqualTo("7.0.8");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run()) {
			assertThat(context.isRunning()).isTrue();
		}
		String warning = "this application runs Spring Framework 7.0.8, below 7.0.10";
		assertThat(output.getOut()).contains(warning);
		assertThat(output.getOut().split(warning, -1)).hasSize(2);
	}

}
