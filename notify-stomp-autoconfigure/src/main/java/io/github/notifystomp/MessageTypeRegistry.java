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

package io.github.notifystomp;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Known notification types and the payload class each must carry. Sending a payload of
 * another class for a registered type throws before anything is sent; unknown types are
 * allowed unless the registry is strict ({@code notify.stomp.strict-types=true}).
 */
public class MessageTypeRegistry {

	private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

	private final boolean strict;

	/**
	 * Create a registry.
	 * @param strict whether unknown types are refused
	 */
	public MessageTypeRegistry(boolean strict) {
		this.strict = strict;
	}

	/**
	 * Register a type with the class its payloads must be instances of.
	 * @param type the type name
	 * @param payloadClass the payload class, must not be {@code null}
	 * @return this registry
	 * @throws IllegalArgumentException if the type name is not valid
	 * @throws IllegalStateException if the type is already registered with another class
	 */
	public MessageTypeRegistry register(String type, Class<?> payloadClass) {
		NotifyMessage.builder(type);
		if (payloadClass == null) {
			throw new IllegalArgumentException("Payload class of type '" + type + "' must not be null");
		}
		Class<?> previous = this.types.putIfAbsent(type, payloadClass);
		if (previous != null && previous != payloadClass) {
			throw new IllegalStateException("Notification type '" + type + "' is already registered with "
					+ previous.getName() + ", not " + payloadClass.getName());
		}
		return this;
	}

	/**
	 * Return the payload class registered for a type.
	 * @param type the type name
	 * @return the class, or empty if the type is not registered
	 */
	public Optional<Class<?>> payloadClass(String type) {
		return Optional.ofNullable(this.types.get(type));
	}

	/**
	 * Whether unknown types are refused.
	 * @return {@code true} if strict
	 */
	public boolean isStrict() {
		return this.strict;
	}

	/**
	 * Check that a payload fits the type.
	 * @param type the type name
	 * @param payload the payload, may be {@code null}
	 * @throws IllegalArgumentException if the payload is of the wrong class, or the type
	 * is unknown and the registry is strict
	 */
	public void check(String type, Object payload) {
		Class<?> expected = this.types.get(type);
		if (expected == null) {
			if (this.strict) {
				throw new IllegalArgumentException(
						"Notification type '" + type + "' is not registered and notify.stomp.strict-types is true");
			}
			return;
		}
		if (payload != null && !expected.isInstance(payload)) {
			throw new IllegalArgumentException("Notification type '" + type + "' takes a payload of "
					+ expected.getName() + ", not " + payload.getClass().getName());
		}
	}

}
