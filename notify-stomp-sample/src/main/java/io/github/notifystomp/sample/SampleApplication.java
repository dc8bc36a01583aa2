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

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.github.notifystomp.TokenResolver;

/**
 * A Spring Boot application that adopts notify-stomp the way any application would: the
 * starter dependency, a {@link TokenResolver} bean, and the {@code NotifyTemplate}
 * injected where notifications are sent.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	/**
	 * The only thing the starter needs from the application: how to turn a token into a
	 * user. Here the tokens are the demo's own signed tokens; a real application would
	 * verify its session tokens or JWTs the same way.
	 * @param tokens the demo token service
	 * @return the resolver
	 */
	@Bean
	TokenResolver tokenResolver(DemoTokens tokens) {
		return tokens::verify;
	}

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
