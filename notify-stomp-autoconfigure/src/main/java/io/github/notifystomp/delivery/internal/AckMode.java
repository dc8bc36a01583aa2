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

package io.github.notifystomp.delivery.internal;

/**
 * The STOMP {@code ack} mode of a subscription.
 */
enum AckMode {

	/**
	 * Fire and forget: messages are not acknowledged.
	 */
	AUTO("auto"),

	/**
	 * An ACK acknowledges the message and every earlier one of the subscription.
	 */
	CLIENT("client"),

	/**
	 * An ACK acknowledges only that message.
	 */
	CLIENT_INDIVIDUAL("client-individual");

	private final String header;

	AckMode(String header) {
		this.header = header;
	}

	/**
	 * Parse the {@code ack} header of a SUBSCRIBE frame.
	 * @param header the header value, {@code null} for the default
	 * @return the mode, or {@code null} if the value is not a STOMP ack mode
	 */
	public static AckMode fromHeader(String header) {
		if (header == null) {
			return AUTO;
		}
		for (AckMode mode : values()) {
			if (mode.header.equals(header)) {
				return mode;
			}
		}
		return null;
	}

}
