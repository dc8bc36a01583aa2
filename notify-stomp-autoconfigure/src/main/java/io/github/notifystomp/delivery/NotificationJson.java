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

package io.github.notifystomp.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes payloads and MESSAGE bodies as JSON. The body is
 * {@code {"id","type","payload","createdAt","seq"}}, with the payload embedded as JSON.
 */
public class NotificationJson {

	private final ObjectMapper objectMapper;

	/**
	 * Create an instance that writes payloads with the given mapper.
	 * @param objectMapper the application's mapper
	 */
	public NotificationJson(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	/**
	 * Serialize a payload.
	 * @param payload the payload, may be {@code null}
	 * @return the JSON text, or {@code null} for a {@code null} payload
	 * @throws IllegalArgumentException if the payload cannot be serialized
	 */
	public String payload(Object payload) {
		if (payload == null) {
			return null;
		}
		try {
			return this.objectMapper.writeValueAsString(payload);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException(
					"Payload of class " + payload.getClass().getName() + " cannot be serialized to JSON", ex);
		}
	}

	/**
	 * Write the MESSAGE body of a notification.
	 * @param notification the notification
	 * @return the UTF-8 JSON body
	 */
	public byte[] body(Notification notification) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128 + length(notification.payload()));
		try (JsonGenerator generator = this.objectMapper.getFactory().createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringField("id", notification.id());
			generator.writeStringField("type", notification.type());
			generator.writeFieldName("payload");
			if (notification.payload() != null) {
				generator.writeRawValue(notification.payload());
			}
			else {
				generator.writeNull();
			}
			generator.writeStringField("createdAt", notification.createdAt().toString());
			generator.writeFieldName("seq");
			if (notification.seq() != null) {
				generator.writeNumber(notification.seq());
			}
			else {
				generator.writeNull();
			}
			generator.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static int length(String text) {
		return (text != null) ? text.length() : 0;
	}

}
