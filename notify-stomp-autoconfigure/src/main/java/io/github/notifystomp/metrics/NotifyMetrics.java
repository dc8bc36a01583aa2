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

package io.github.notifystomp.metrics;

import java.time.Duration;

/**
 * Receives the events the starter counts. Every method does nothing by default;
 * {@link MicrometerNotifyMetrics} turns them into meters when Micrometer is present.
 */
public interface NotifyMetrics {

	/**
	 * Metrics that record nothing.
	 */
	NotifyMetrics NONE = new NotifyMetrics() {
	};

	/**
	 * A CONNECT was accepted.
	 */
	default void connectAccepted() {
	}

	/**
	 * A CONNECT was refused.
	 * @param reason a short, fixed reason such as {@code invalid-token}
	 */
	default void connectRefused(String reason) {
	}

	/**
	 * A client frame other than CONNECT was refused.
	 * @param reason a short, fixed reason such as {@code subscription}
	 */
	default void frameRefused(String reason) {
	}

	/**
	 * The application sent a message.
	 * @param kind {@code user} or {@code broadcast}
	 */
	default void messageSent(String kind) {
	}

	/**
	 * A message was handed to a session.
	 * @param latency time since the send, or {@code null} for replays and redeliveries
	 */
	default void messageDelivered(Duration latency) {
	}

	/**
	 * A client acknowledged a message.
	 */
	default void messageAcknowledged() {
	}

	/**
	 * A message was sent again after a NACK or a missing ACK.
	 */
	default void messageRedelivered() {
	}

	/**
	 * A message was dropped before reaching a session.
	 * @param reason a short, fixed reason such as {@code attempts-exhausted}
	 */
	default void messageDropped(String reason) {
	}

	/**
	 * A relay message was published to other nodes.
	 */
	default void relayPublished() {
	}

	/**
	 * A relay message from another node was received.
	 */
	default void relayReceived() {
	}

	/**
	 * A message on the relay channels was dropped.
	 * @param reason a short, fixed reason such as {@code malformed}
	 */
	default void relayDropped(String reason) {
	}

	/**
	 * A session was closed because it could not keep up.
	 */
	default void slowConsumerClosed() {
	}

	/**
	 * A message was written to the store.
	 * @param duration how long the write took
	 */
	default void storeWrite(Duration duration) {
	}

}
