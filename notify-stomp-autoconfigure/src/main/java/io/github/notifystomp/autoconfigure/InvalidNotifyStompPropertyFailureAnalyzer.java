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

/**
 * Explains a startup failure caused by a {@code notify.stomp.*} property.
 */
class InvalidNotifyStompPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNotifyStompPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidNotifyStompPropertyException cause) {
		return new FailureAnalysis(
				"notify-stomp cannot start: property '" + cause.getProperty() + "' is set to '" + cause.getValue()
						+ "', which is not valid: " + cause.getReason() + ".",
				"Change '" + cause.getProperty() + "' in your configuration (application.yml, environment or command"
						+ " line), or remove it to use the default.",
				cause);
	}

}
