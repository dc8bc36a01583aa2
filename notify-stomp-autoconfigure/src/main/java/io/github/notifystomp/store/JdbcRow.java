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

package io.github.notifystomp.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A message to store: what a save gets before the store gives it a sequence number.
 *
 * @param userId the user
 * @param id the message id
 * @param type the message type
 * @param payload the payload as JSON, or {@code null}
 * @param createdAt the creation time, in microseconds
 */
record JdbcRow(String userId, String id, String type, String payload, Instant createdAt) {

	/**
	 * Return the creation time as the store's columns keep it: UTC, without a zone.
	 */
	LocalDateTime createdAtUtc() {
		return LocalDateTime.ofInstant(this.createdAt, ZoneOffset.UTC);
	}

	/**
	 * Return the message as stored with a sequence number, not yet delivered or read.
	 */
	StoredMessage stored(long seq) {
		return new StoredMessage(this.userId, seq, this.id, this.type, this.payload, this.createdAt, null, null);
	}

}
