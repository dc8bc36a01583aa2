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
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A notification to send: a type name, a JSON-serializable payload and, optionally, an id
 * and a creation time. Immutable; build one with {@link #of(String, Object)} or
 * {@link #builder(String)}.
 */
public final class NotifyMessage {

	private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	private final String id;

	private final String type;

	private final Object payload;

	private final Instant createdAt;

	private final boolean transientMessage;

	private NotifyMessage(Builder builder) {
		this.id = builder.id;
		this.type = builder.type;
		this.payload = builder.payload;
		this.createdAt = builder.createdAt;
		this.transientMessage = builder.transientMessage;
	}

	/**
	 * Create a stored message of the given type.
	 * @param type the type name: a letter or digit, then up to 63 letters, digits, or
	 * {@code . _ : -}
	 * @param payload any JSON-serializable object, or {@code null} for none
	 * @return the message
	 * @throws IllegalArgumentException if the type is blank or malformed
	 */
	public static NotifyMessage of(String type, Object payload) {
		return builder(type).payload(payload).build();
	}

	/**
	 * Start building a message of the given type.
	 * @param type the type name, see {@link #of(String, Object)}
	 * @return a builder
	 * @throws IllegalArgumentException if the type is blank or malformed
	 */
	public static Builder builder(String type) {
		return new Builder(type);
	}

	/**
	 * Return the id given by the application.
	 * @return the id, or {@code null} when one is generated at send time
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the type name.
	 * @return the type, never {@code null}
	 */
	public String type() {
		return this.type;
	}

	/**
	 * Return the payload.
	 * @return the payload, or {@code null} for none
	 */
	public Object payload() {
		return this.payload;
	}

	/**
	 * Return the creation time given by the application.
	 * @return the time, or {@code null} when the send time is used
	 */
	public Instant createdAt() {
		return this.createdAt;
	}

	/**
	 * Whether this message skips the message store: it gets no sequence number, is not
	 * acknowledged, redelivered or replayed, and is lost for users who are offline.
	 * @return {@code true} if transient
	 */
	public boolean isTransient() {
		return this.transientMessage;
	}

	@Override
	public String toString() {
		return "NotifyMessage[id=" + this.id + ", type=" + this.type + ", transient=" + this.transientMessage + "]";
	}

	/**
	 * Builder for {@link NotifyMessage}.
	 */
	public static final class Builder {

		private final String type;

		private String id;

		private Object payload;

		private Instant createdAt;

		private boolean transientMessage;

		private Builder(String type) {
			if (type == null || type.isBlank()) {
				throw new IllegalArgumentException("Notification type must not be blank");
			}
			if (!TYPE.matcher(type).matches()) {
				throw new IllegalArgumentException("Notification type '" + type
						+ "' is not valid: use a letter or digit, then up to 63 letters, digits, or . _ : -");
			}
			this.type = type;
		}

		/**
		 * Set the id. Ids must be unique per recipient; leave it unset to get a
		 * generated, time-ordered id.
		 * @param id the id: 1 to 64 letters, digits, or {@code . _ : -}
		 * @return this builder
		 */
		public Builder id(String id) {
			if (id != null && !ID.matcher(id).matches()) {
				throw new IllegalArgumentException(
						"Notification id is not valid: use 1 to 64 letters, digits, or . _ : -");
			}
			this.id = id;
			return this;
		}

		/**
		 * Set the payload.
		 * @param payload any JSON-serializable object, or {@code null} for none
		 * @return this builder
		 */
		public Builder payload(Object payload) {
			this.payload = payload;
			return this;
		}

		/**
		 * Set the creation time.
		 * @param createdAt the time, or {@code null} to use the send time
		 * @return this builder
		 */
		public Builder createdAt(Instant createdAt) {
			this.createdAt = createdAt;
			return this;
		}

		/**
		 * Mark the message transient: it skips the store, so it has no sequence number
		 * and is never replayed.
		 * @return this builder
		 */
		public Builder transientMessage() {
			this.transientMessage = true;
			return this;
		}

		/**
		 * Build the message.
		 * @return the message
		 */
		public NotifyMessage build() {
			return new NotifyMessage(this);
		}

	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof NotifyMessage that)) {
			return false;
		}
		return this.transientMessage == that.transientMessage && Objects.equals(this.id, that.id)
				&& this.type.equals(that.type) && Objects.equals(this.payload, that.payload)
				&& Objects.equals(this.createdAt, that.createdAt);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.type, this.payload, this.createdAt, this.transientMessage);
	}

}
