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

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.metrics.MicrometerNotifyMetrics;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A typical application (a TokenResolver, a DataSource, Actuator) starts without a
 * warning on every Spring Boot line: the starter's auto-configurations are ordered by
 * names that exist on the line, nothing falls back silently, and the one summary line
 * says what was chosen.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupLogIntegrationTests {

	@Test
	void whenATypicalApplicationStartsThenThereIsNoWarningAndTheSummarySaysWhatWasChosen(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:startup-log;DB_CLOSE_DELAY=-1",
					"management.health.redis.enabled=false")
			.run()) {
			assertThat(context.getBean(NotifyStore.class)).isInstanceOf(JdbcNotifyStore.class);
			assertThat(context.getBean(io.github.notifystomp.metrics.NotifyMetrics.class))
				.isInstanceOf(MicrometerNotifyMetrics.class);
			assertThat(context.getBean(PayloadJson.class))
				.hasToString(context.getBeanNamesForType(tools.jackson.databind.json.JsonMapper.class).length > 0
						? "the application's Jackson 3 JsonMapper" : "the application's Jackson 2 ObjectMapper");
		}
		List<String> warnings = Arrays.stream(output.getOut().split("\\R"))
			.filter((line) -> line.contains(" WARN ") || line.contains("Failed to introspect"))
			.toList();
		assertThat(warnings).isEmpty();
		assertThat(output.getOut()).contains("notify-stomp: STOMP endpoint /ws")
			.contains("store JdbcNotifyStore")
			.contains("payloads written by the application's");
	}

}
