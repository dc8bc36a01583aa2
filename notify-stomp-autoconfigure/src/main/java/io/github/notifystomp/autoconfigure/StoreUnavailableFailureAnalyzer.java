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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import io.github.notifystomp.store.StoreUnavailableException;

/**
 * Explains a startup failure caused by a database the JDBC store cannot reach: the real
 * cause first (it is the last of a long chain), then what to do.
 */
class StoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<StoreUnavailableException> {

	private final Environment environment;

	StoreUnavailableFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StoreUnavailableException cause) {
		String url = (this.environment != null)
				? withoutCredentials(this.environment.getProperty("spring.datasource.url")) : null;
		return new FailureAnalysis(
				StoreUnavailableException.rootCause(cause) + "\n\nnotify-stomp cannot start: its message store (JDBC)"
						+ " cannot reach the database" + ((url != null) ? " at " + url : "")
						+ " to create or check its tables.",
				"Start the database, or check spring.datasource.url, spring.datasource.username and"
						+ " spring.datasource.password (the cause above names what failed). To start without the"
						+ " database, set notify.stomp.store.type=memory (messages kept per node and lost on restart).",
				cause);
	}

	// a JDBC URL may carry a password (user:password@host, ?password=...)
	private static String withoutCredentials(String url) {
		if (url == null) {
			return null;
		}
		String result = url.replaceAll("//[^/@?;]*@", "//");
		int parameters = result.indexOf('?');
		return (parameters >= 0) ? result.substring(0, parameters) : result;
	}

}
