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

package io.github.notifystomp.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes payloads with a Jackson 3 mapper, Spring Boot 4's default. A Jackson 2 tree
 * ({@code com.fasterxml.jackson.databind.JsonNode}) is written as the JSON it holds.
 */
public final class JacksonPayloadJson extends JacksonPayloadSupport {

	private final ObjectMapper mapper;

	/**
	 * Create an instance.
	 * @param mapper the mapper, normally the application's {@code JsonMapper}
	 * @param description where the mapper comes from, for the startup log
	 */
	public JacksonPayloadJson(ObjectMapper mapper, String description) {
		super("com.fasterxml.jackson.core.TreeNode", description);
		this.mapper = mapper;
	}

	@Override
	String writeValue(Object payload) {
		return this.mapper.writeValueAsString(payload);
	}

	@Override
	public boolean isSingleValue(String text) {
		try (JsonParser parser = this.mapper.createParser(text)) {
			if (parser.nextToken() == null) {
				return false;
			}
			parser.skipChildren();
			return parser.nextToken() == null;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

}
