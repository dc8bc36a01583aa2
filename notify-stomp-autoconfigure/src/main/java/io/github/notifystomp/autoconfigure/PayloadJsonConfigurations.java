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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.notifystomp.json.Jackson2PayloadJson;
import io.github.notifystomp.json.JacksonPayloadJson;
import io.github.notifystomp.json.PayloadJson;

/**
 * The ways to write payloads as JSON that {@link NotifyStompAutoConfiguration} imports,
 * in order: the application's own mapper first (Jackson 3, Spring Boot 4's default, then
 * Jackson 2, Spring Boot 3.5's), so that a payload is written with the application's
 * {@code spring.jackson.*} settings, modules and customizers; a mapper of the starter's
 * own only when the application defines none. Each class names the Jackson it needs, so
 * none is loaded on a line that lacks it.
 */
abstract class PayloadJsonConfigurations {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	@ConditionalOnSingleCandidate(JsonMapper.class)
	static class ApplicationJackson {

		@Bean
		@ConditionalOnMissingBean(PayloadJson.class)
		JacksonPayloadJson notifyPayloadJson(JsonMapper jsonMapper) {
			return new JacksonPayloadJson(jsonMapper, "the application's Jackson 3 JsonMapper");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
	@ConditionalOnSingleCandidate(ObjectMapper.class)
	static class ApplicationJackson2 {

		@Bean
		@ConditionalOnMissingBean(PayloadJson.class)
		Jackson2PayloadJson notifyPayloadJson(ObjectMapper objectMapper) {
			return new Jackson2PayloadJson(objectMapper, "the application's Jackson 2 ObjectMapper");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	static class OwnJackson {

		@Bean
		@ConditionalOnMissingBean(PayloadJson.class)
		JacksonPayloadJson notifyPayloadJson() {
			return new JacksonPayloadJson(JsonMapper.builder().findAndAddModules().build(),
					"a default Jackson 3 JsonMapper (the application defines none)");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
	static class OwnJackson2 {

		@Bean
		@ConditionalOnMissingBean(PayloadJson.class)
		Jackson2PayloadJson notifyPayloadJson() {
			// dates as ISO-8601 text, as Spring Boot configures its own mapper
			return new Jackson2PayloadJson(com.fasterxml.jackson.databind.json.JsonMapper.builder()
				.findAndAddModules()
				.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
				.build(), "a default Jackson 2 ObjectMapper (the application defines none)");
		}

	}

	/**
	 * Fails startup with the reason when there is no JSON mapper to write payloads with.
	 */
	@Configuration(proxyBeanMethods = false)
	static class NoJackson {

		@Bean
		@ConditionalOnMissingBean(PayloadJson.class)
		PayloadJson notifyPayloadJson() {
			throw new IllegalStateException("notify-stomp writes payloads as JSON with Jackson, and there is neither"
					+ " Jackson 3 (tools.jackson.core:jackson-databind) nor Jackson 2"
					+ " (com.fasterxml.jackson.core:jackson-databind) on the class path; add the one of your Spring"
					+ " Boot line (spring-boot-starter-websocket brings it), or define a PayloadJson bean");
		}

	}

}
