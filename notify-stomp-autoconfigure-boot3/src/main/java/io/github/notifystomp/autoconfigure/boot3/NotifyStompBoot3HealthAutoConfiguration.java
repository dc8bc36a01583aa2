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

package io.github.notifystomp.autoconfigure.boot3;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.notifystomp.actuate.internal.NotifyStompHealth;
import io.github.notifystomp.autoconfigure.ConditionalOnNotifyStompEnabled;
import io.github.notifystomp.autoconfigure.NotifyStompActuatorAutoConfiguration;
import io.github.notifystomp.boot3.Boot3NotifyStompHealthIndicator;

/**
 * Auto-configuration for the {@code notifyStomp} health indicator on Spring Boot 3.5,
 * whose health indicator type Spring Boot 4 moved.
 */
@AutoConfiguration(after = NotifyStompActuatorAutoConfiguration.class)
@ConditionalOnNotifyStompEnabled
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(NotifyStompHealth.class)
public class NotifyStompBoot3HealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "notifyStompHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("notifyStomp")
	Boot3NotifyStompHealthIndicator notifyStompHealthIndicator(NotifyStompHealth health) {
		return new Boot3NotifyStompHealthIndicator(health);
	}

}
