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

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes payloads with a Jackson 2 mapper, Spring Boot 3.5's default. A Jackson 3 tree
 * ({@code tools.jackson.databind.JsonNode}) is written as the JSON it holds.
 */
public final class Jackson2PayloadJson extends JacksonPayloadSupport {

	private final ObjectMapper mapper;

	/**
	 * Create an instance.
	 * @param mapper the mapper, normally the application's {@code ObjectMapper}
	 * @param description where the mapper comes from, for the startup log
	 */
	public Jackson2PayloadJson(ObjectMapper mapper, String description) {
		super("tools.jackson.core.TreeNode", description);
		this.mapper = mapper;
	}

	@Override
	String writeValue(Object payload) {
		try {
			return this.mapper.writeValueAsString(payload);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
		catch (IOException ex) {
			return false;
		}
	}

}
