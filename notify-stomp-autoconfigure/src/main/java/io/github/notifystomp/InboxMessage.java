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

import java.time.Instant;

/**
 * A stored user message as {@link NotifyInbox} returns it.
 *
 * @param id the notification id ({@code notify-id})
 * @param type the type name ({@code notify-type})
 * @param payload the payload as JSON text, or {@code null} for none
 * @param createdAt when the message was created
 * @param seq the user's sequence number ({@code notify-seq})
 * @param deliveredAt when a session of the user acknowledged it, or {@code null}
 * @param readAt when it was marked read, or {@code null}
 */
public record InboxMessage(String id, String type, String payload, Instant createdAt, long seq, Instant deliveredAt,
		Instant readAt) {

	/**
	 * Whether a session of the user has acknowledged this message.
	 * @return {@code true} if delivered
	 */
	public boolean isDelivered() {
		return this.deliveredAt != null;
	}

	/**
	 * Whether this message was marked read.
	 * @return {@code true} if read
	 */
	public boolean isRead() {
		return this.readAt != null;
	}

}
