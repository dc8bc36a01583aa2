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

package io.github.notifystomp.test;

import tools.jackson.databind.json.JsonMapper;

import io.github.notifystomp.json.JacksonPayloadJson;
import io.github.notifystomp.json.PayloadJson;

/**
 * A {@link PayloadJson} for tests that build the starter's parts by hand: Jackson 3 with
 * its defaults, on every Spring Boot line the tests run on.
 */
public final class TestPayloadJson {

	private TestPayloadJson() {
	}

	public static PayloadJson create() {
		return new JacksonPayloadJson(JsonMapper.builder().build(), "a test mapper");
	}

}
