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

import io.github.notifystomp.store.StoreSchemaMissingException;

/**
 * Explains a startup failure caused by missing message store tables.
 */
class StoreSchemaMissingFailureAnalyzer extends AbstractFailureAnalyzer<StoreSchemaMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StoreSchemaMissingException cause) {
		return new FailureAnalysis(
				"notify-stomp cannot start: the message store's tables (" + cause.getTables()
						+ ") do not exist, and notify.stomp.store.jdbc.initialization-mode does not let notify-stomp"
						+ " create them (it is never, or embedded, the default, and the database is not embedded).",
				"Create the tables with the script " + cause.getScript() + " (for example as a Flyway or Liquibase"
						+ " migration; the same file is in docs/schema/ of notify-stomp's repository), or set notify.stomp.store.jdbc.initialization-mode=always to let notify-stomp create"
						+ " them at startup.",
				cause);
	}

}
