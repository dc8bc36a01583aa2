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

package io.github.notifystomp.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what, as an application that copies the sample should have it: the page,
 * the demo login, the REST API (which checks its own bearer tokens) and the WebSocket
 * endpoints are open, Actuator's health too; every other Actuator endpoint, the
 * {@code notifystomp} one above all (it lists sessions and disconnects users), needs a
 * user with the role {@code ADMIN} over HTTP Basic. The admin is Spring Boot's own user:
 * {@code spring.security.user.name} {@code admin}, and a password from
 * {@code SPRING_SECURITY_USER_PASSWORD} (Boot generates and logs one when it is not set).
 * <p>
 * CSRF protection is left out where no cookie carries the identity: the API and the STOMP
 * endpoints take bearer tokens, and Actuator's write operations need a JSON body, which a
 * page of another site cannot send with the browser's Basic credentials.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain sampleSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator", "/actuator/**")
				.hasRole("ADMIN")
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**", "/actuator/**", "/ws/**", "/ws-sockjs/**"))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
