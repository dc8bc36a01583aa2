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

/**
 * A user message as kept by a {@link NotifyStore}.
 *
 * @param userId the recipient
 * @param seq the recipient's sequence number, strictly increasing per user
 * @param id the notification id, unique per user
 * @param type the type name
 * @param payload the payload as JSON text ({@code null} for none)
 * @param createdAt when the message was created
 * @param deliveredAt when a session of the user acknowledged it, or {@code null}
 * @param readAt when the application marked it read, or {@code null}
 */
public record StoredMessage(String userId, long seq, String id, String type, String payload, Instant createdAt,
		Instant deliveredAt, Instant readAt) {

	/**
	 * Whether a session of the user has acknowledged this message.
	 * @return {@code true} if delivered
	 */
	public boolean isDelivered() {
		return this.deliveredAt != null;
	}

	/**
	 * Whether the application marked this message read.
	 * @return {@code true} if read
	 */
	public boolean isRead() {
		return this.readAt != null;
	}

}
