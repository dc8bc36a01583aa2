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

package io.github.notifystomp.boot3;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.notifystomp.actuate.internal.NotifyStompHealth;

/**
 * The {@code notifyStomp} health indicator on Spring Boot 3.5: reports
 * {@link NotifyStompHealth}.
 */
public class Boot3NotifyStompHealthIndicator extends AbstractHealthIndicator {

	private final NotifyStompHealth health;

	/**
	 * Create the indicator.
	 * @param health what to report
	 */
	public Boot3NotifyStompHealthIndicator(NotifyStompHealth health) {
		super("notify-stomp health check failed");
		this.health = health;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		NotifyStompHealth.Report report = this.health.check();
		(report.up() ? builder.up() : builder.down()).withDetails(report.details());
	}

}
