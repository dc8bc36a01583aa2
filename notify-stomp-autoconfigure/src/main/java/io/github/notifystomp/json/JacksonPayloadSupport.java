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

import org.springframework.util.ClassUtils;

/**
 * What the Jackson 3 and Jackson 2 writers share: the handling of a JSON tree of the
 * other Jackson, which a mapper cannot write itself but which prints itself as JSON.
 */
abstract class JacksonPayloadSupport implements PayloadJson {

	private final Class<?> foreignTreeType;

	private final String description;

	JacksonPayloadSupport(String foreignTreeTypeName, String description) {
		this.foreignTreeType = ClassUtils.isPresent(foreignTreeTypeName, getClass().getClassLoader())
				? ClassUtils.resolveClassName(foreignTreeTypeName, getClass().getClassLoader()) : null;
		this.description = description;
	}

	@Override
	public final String write(Object payload) {
		if (payload == null) {
			return null;
		}
		if (this.foreignTreeType != null && this.foreignTreeType.isInstance(payload)) {
			return payload.toString();
		}
		try {
			return writeValue(payload);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Payload of class " + payload.getClass().getName() + " cannot be serialized to JSON", ex);
		}
	}

	abstract String writeValue(Object payload);

	@Override
	public String toString() {
		return this.description;
	}

}
