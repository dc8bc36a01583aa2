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

/**
 * Turns message payloads into JSON text. The default uses the application's own JSON
 * mapper, so that a payload looks the same in a STOMP message as in the application's
 * REST responses; define a bean of this type to write payloads another way.
 */
public interface PayloadJson {

	/**
	 * Write a payload as JSON.
	 * @param payload the payload, may be {@code null}
	 * @return the JSON text, or {@code null} for a {@code null} payload
	 * @throws IllegalArgumentException if the payload cannot be written as JSON
	 */
	String write(Object payload);

	/**
	 * Check that a text is exactly one JSON value, as a payload must be before it is put
	 * into a MESSAGE body unchanged.
	 * @param text the text, never {@code null}
	 * @return {@code true} if it is one complete JSON value and nothing else
	 */
	boolean isSingleValue(String text);

}
