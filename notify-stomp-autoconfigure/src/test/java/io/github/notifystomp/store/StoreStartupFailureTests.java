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
package io.github.notifystomp.store;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an operator sees when the JDBC store cannot reach its database at startup: the
 * real cause first, and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreStartupFailureTests {

	@Test
	void whenTheDatabaseIsDownAtStartupThenTheReportNamesTheRealCauseFirstAndWhatToDo(CapturedOutput output)
			throws IOException {
		int port;
		try (ServerSocket nothingListens = new ServerSocket(0)) {
			port = nothingListens.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + port + "/test";
		assertThatThrownBy(() -> new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"spring.datasource.url=" + url + "?password=secret-in-the-url",
					"spring.datasource.username=postgres", "spring.datasource.password=secret-password")
			.run()
			.close()).hasRootCauseInstanceOf(java.net.ConnectException.class);
		String report = output.toString().substring(output.toString().indexOf("APPLICATION FAILED TO START"));
		String description = report.substring(report.indexOf("Description:") + "Description:".length()).strip();
		// the real cause, which is last in the chain, comes first
		assertThat(description.lines().findFirst().orElseThrow()).contains("ConnectException")
			.contains("PSQLException")
			.contains("127.0.0.1:" + port)
			.contains("refused");
		assertThat(report).contains("cannot reach the database at " + url + " to create or check its tables")
			.contains("spring.datasource.url")
			.contains("notify.stomp.store.type=memory")
			.doesNotContain("Cannot tell which database")
			.doesNotContain("secret-in-the-url")
			.doesNotContain("secret-password");
	}

}
