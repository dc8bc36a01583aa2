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

/**
 * Thrown at startup when a {@code notify.stomp.*} property has a value the starter cannot
 * work with.
 */
public class InvalidNotifyStompPropertyException extends RuntimeException {

	private final String property;

	private final transient Object value;

	private final String reason;

	/**
	 * Create an exception.
	 * @param property the full property name
	 * @param value the value that is not valid
	 * @param reason what a valid value looks like
	 */
	public InvalidNotifyStompPropertyException(String property, Object value, String reason) {
		super("Property '" + property + "' has value '" + value + "' that is not valid: " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	/**
	 * Return the full property name.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the value that is not valid.
	 * @return the value
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * Return what a valid value looks like.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
