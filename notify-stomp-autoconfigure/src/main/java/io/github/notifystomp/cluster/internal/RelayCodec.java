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

package io.github.notifystomp.cluster.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import io.github.notifystomp.UserIds;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.json.PayloadJson;

/**
 * Writes and reads relay messages: a version, a kind, the origin node and the
 * {@link Notification} fields, one per line, then the payload's JSON text as the rest of
 * the message. The format is the starter's own, with no JSON library in it, so that nodes
 * on different Spring Boot lines (and so different Jackson versions) read each other.
 * Nothing on a relay channel can choose a Java class, and every field is checked before
 * anything is delivered: none of the line fields can hold a line break (user ids, node
 * ids, message ids and types are restricted), and the payload must be one JSON value.
 * <p>
 * Example (a user message; empty lines are absent optional fields): <pre>
 * NR2
 * user
 * node-a
 * alice
 * 0190-abc
 * text
 * 7
 * 0
 * 1767225600000000000
 *
 * {"hello":1}</pre>
 * <p>
 * Several messages travel together as a batch ({@link RelayBatches}).
 */
final class RelayCodec {

	static final int VERSION = 2;

	static final String MAGIC = "NR";

	private static final int LINES = 10;

	private static final int MAX_TEXT_FIELD = 255;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	// the rules NotifyMessage applies to ids and types: a relay can carry nothing a local
	// sender could not
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

	static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	// a WebSocket or SockJS session id: printable, without the presence member separator
	private static final Pattern SESSION_ID = Pattern.compile("[\\x21-\\x7e&&[^|]]{1,128}");

	private final int maxLength;

	private final RelaySignature signature;

	private final PayloadJson payloadJson;

	/**
	 * Create a codec.
	 * @param maxLength the longest relay message read, in characters
	 * @param secret the cluster's relay secret: every message written is signed with it,
	 * and a message read must carry a valid signature; {@code null} for none
	 * @param payloadJson checks that a payload read is one JSON value
	 */
	RelayCodec(int maxLength, String secret, PayloadJson payloadJson) {
		this.maxLength = maxLength;
		this.signature = (secret != null) ? new RelaySignature(secret) : null;
		this.payloadJson = payloadJson;
	}

	String user(String origin, Notification notification) {
		return write(Kind.USER, origin, notification, notification.userId());
	}

	String broadcast(String origin, Notification notification) {
		return write(Kind.BROADCAST, origin, notification, null);
	}

	// a disconnect carries the end of the user's block, if any, in the time line
	String disconnect(String origin, String userId, Instant refuseReconnectsUntil) {
		return write(Kind.DISCONNECT, origin, null, userId, refuseReconnectsUntil);
	}

	String allow(String origin, String userId) {
		return write(Kind.ALLOW, origin, null, userId, null);
	}

	// the replaced session's node and id go in the lines a notification's id and type use
	String replaced(String origin, String userId, String nodeId, String sessionId) {
		StringBuilder out = new StringBuilder(128);
		line(out, MAGIC + VERSION);
		line(out, Kind.REPLACED.wireName);
		line(out, origin);
		line(out, userId);
		line(out, nodeId);
		line(out, sessionId);
		out.append("\n".repeat(LINES - 6));
		return (this.signature != null) ? this.signature.sign(out.toString()) : out.toString();
	}

	String catchUp(String origin) {
		return write(Kind.CATCH_UP, origin, null, null, null);
	}

	private String write(Kind kind, String origin, Notification notification, String userId) {
		return write(kind, origin, notification, userId, null);
	}

	private String write(Kind kind, String origin, Notification notification, String userId, Instant time) {
		String payload = (notification != null) ? notification.payload() : null;
		StringBuilder out = new StringBuilder(128 + ((payload != null) ? payload.length() : 0));
		line(out, MAGIC + VERSION);
		line(out, kind.wireName);
		line(out, origin);
		line(out, userId);
		if (notification != null) {
			line(out, notification.id());
			line(out, notification.type());
			line(out, (notification.seq() != null) ? notification.seq().toString() : null);
			line(out, Integer.toString(notification.attempt()));
			line(out, instantText(notification.createdAt()));
			line(out, (notification.sentAt() != null) ? instantText(notification.sentAt()) : null);
		}
		else {
			out.append("\n".repeat(LINES - 6));
			line(out, (time != null) ? instantText(time) : null);
			out.append('\n');
		}
		if (payload != null) {
			out.append(payload);
		}
		return (this.signature != null) ? this.signature.sign(out.toString()) : out.toString();
	}

	private static void line(StringBuilder out, String field) {
		if (field != null) {
			out.append(field);
		}
		out.append('\n');
	}

	// nanoseconds since the epoch: exact, and far cheaper to write and read than ISO-8601
	// text, which remains for instants a long cannot hold (after the year 2262)
	private static String instantText(Instant instant) {
		try {
			return Long.toString(
					Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano()));
		}
		catch (ArithmeticException ex) {
			return instant.toString();
		}
	}

	/**
	 * Read and check a relay message.
	 * @param text the message as received
	 * @return the envelope
	 * @throws RejectedRelayException with a short reason if the message is not one of
	 * ours or not valid
	 */
	Envelope read(String text) {
		if (text == null || text.isEmpty()) {
			throw new RejectedRelayException("malformed", "empty message");
		}
		if (text.length() > this.maxLength) {
			throw new RejectedRelayException("oversized", text.length() + " characters");
		}
		if (this.signature != null) {
			text = this.signature.verify(text);
		}
		String[] fields = fields(text);
		Kind kind = Kind.of(fields[1]);
		String origin = fields[2];
		if (!NODE_ID.matcher(origin).matches()) {
			throw new RejectedRelayException("malformed", "bad origin");
		}
		String userId = optional(fields[3]);
		boolean hasMessage = !fields[4].isEmpty();
		if (kind == Kind.CATCH_UP) {
			if (userId != null || hasMessage) {
				throw new RejectedRelayException("malformed", "catch-up with a message");
			}
			return new Envelope(kind, origin, null, null, null);
		}
		if (kind == Kind.BROADCAST && userId != null) {
			throw new RejectedRelayException("malformed", "broadcast with a user id");
		}
		if (kind != Kind.BROADCAST && !UserIds.isValid(userId)) {
			throw new RejectedRelayException("malformed", "bad user id");
		}
		if (kind == Kind.REPLACED) {
			return replacedEnvelope(origin, userId, fields);
		}
		if (kind == Kind.DISCONNECT || kind == Kind.ALLOW) {
			if (hasMessage) {
				throw new RejectedRelayException("malformed", kind.wireName + " with a message");
			}
			return new Envelope(kind, origin, userId, null,
					(kind == Kind.DISCONNECT) ? instant(fields[8], "refuse-until") : null);
		}
		String id = fields[4];
		String type = fields[5];
		if (!ID.matcher(id).matches() || !TYPE.matcher(type).matches()) {
			throw new RejectedRelayException("malformed", "bad id or type");
		}
		Long seq = (kind == Kind.USER) ? optionalLong(fields[6], "seq") : null;
		Long attempt = optionalLong(fields[7], "attempt");
		if (attempt == null || attempt < 0 || attempt > Integer.MAX_VALUE) {
			throw new RejectedRelayException("malformed", "bad attempt");
		}
		Instant createdAt = instant(fields[8], "createdAt");
		if (createdAt == null) {
			throw new RejectedRelayException("malformed", "no createdAt");
		}
		Notification notification = new Notification(id, type, payload(fields[LINES]), createdAt, seq, userId,
				attempt.intValue(), instant(fields[9], "sentAt"));
		return new Envelope(kind, origin, userId, notification, null);
	}

	private static Envelope replacedEnvelope(String origin, String userId, String[] fields) {
		if (!NODE_ID.matcher(fields[4]).matches() || !SESSION_ID.matcher(fields[5]).matches()) {
			throw new RejectedRelayException("malformed", "bad node or session id");
		}
		for (int i = 6; i <= LINES; i++) {
			if (!fields[i].isEmpty()) {
				throw new RejectedRelayException("malformed", "replaced with a message");
			}
		}
		return new Envelope(Kind.REPLACED, origin, userId, null, null, new SessionRef(fields[4], fields[5]));
	}

	// the version line, the other line fields, and the payload as the rest
	private static String[] fields(String text) {
		String[] fields = new String[LINES + 1];
		int start = 0;
		for (int i = 0; i < LINES; i++) {
			int end = text.indexOf('\n', start);
			if (end < 0) {
				throw new RejectedRelayException("malformed", (i == 0) ? "not a relay message" : "too few lines");
			}
			fields[i] = text.substring(start, end);
			if (fields[i].length() > MAX_TEXT_FIELD) {
				throw new RejectedRelayException("malformed", "line " + (i + 1) + " too long");
			}
			if (i == 0) {
				checkVersion(fields[0]);
			}
			start = end + 1;
		}
		fields[LINES] = text.substring(start);
		return fields;
	}

	private static void checkVersion(String line) {
		if (!line.startsWith(MAGIC) || line.length() == MAGIC.length()
				|| !line.chars().skip(MAGIC.length()).allMatch(Character::isDigit)) {
			throw new RejectedRelayException("malformed", "not a relay message");
		}
		if (!line.equals(MAGIC + VERSION)) {
			throw new RejectedRelayException("unsupported-version", "version " + line.substring(MAGIC.length()));
		}
	}

	private static String optional(String field) {
		return field.isEmpty() ? null : field;
	}

	private static Long optionalLong(String field, String name) {
		if (field.isEmpty()) {
			return null;
		}
		try {
			return Long.parseLong(field);
		}
		catch (NumberFormatException ex) {
			throw new RejectedRelayException("malformed", "bad " + name);
		}
	}

	private static Instant instant(String field, String name) {
		if (field.isEmpty()) {
			return null;
		}
		try {
			return Instant.ofEpochSecond(0, Long.parseLong(field));
		}
		catch (NumberFormatException ex) {
			// a text instant, written for those a long cannot hold
		}
		try {
			return Instant.parse(field);
		}
		catch (DateTimeParseException ex) {
			throw new RejectedRelayException("malformed", "bad " + name);
		}
	}

	// the payload goes raw into MESSAGE bodies, so it must be exactly one JSON value
	private String payload(String text) {
		if (text.isEmpty()) {
			return null;
		}
		if (!this.payloadJson.isSingleValue(text)) {
			throw new RejectedRelayException("malformed", "payload is not one JSON value");
		}
		return text;
	}

	/**
	 * What a relay message asks a node to do.
	 */
	enum Kind {

		/**
		 * Deliver to the local sessions of the named user.
		 */
		USER("user"),

		/**
		 * Deliver to the local subscribers of the broadcast topic.
		 */
		BROADCAST("broadcast"),

		/**
		 * Close the local sessions of the named user, and refuse the user's CONNECTs
		 * until the time the message carries, if any.
		 */
		DISCONNECT("disconnect"),

		/**
		 * Accept the named user's CONNECTs again.
		 */
		ALLOW("allow"),

		/**
		 * Catch the local sessions up from the store: the origin could not relay some
		 * stored messages.
		 */
		CATCH_UP("catch-up"),

		/**
		 * Close the named session of the named user on the named node: a newer session of
		 * the user replaced it at the session limit.
		 */
		REPLACED("replaced");

		private final String wireName;

		Kind(String wireName) {
			this.wireName = wireName;
		}

		static Kind of(String wireName) {
			for (Kind kind : values()) {
				if (kind.wireName.equals(wireName)) {
					return kind;
				}
			}
			throw new RejectedRelayException("unknown-kind", "kind " + wireName);
		}

	}

	/**
	 * A checked relay message.
	 *
	 * @param kind what to do
	 * @param origin the node that published it
	 * @param userId the user it concerns, {@code null} for a broadcast or a catch-up
	 * @param notification the notification, {@code null} for a disconnect or a catch-up
	 * @param refuseReconnectsUntil the end of a disconnected user's block, or
	 * {@code null}
	 * @param session the session a replaced message names, or {@code null}
	 */
	record Envelope(Kind kind, String origin, String userId, Notification notification, Instant refuseReconnectsUntil,
			SessionRef session) {

		Envelope(Kind kind, String origin, String userId, Notification notification, Instant refuseReconnectsUntil) {
			this(kind, origin, userId, notification, refuseReconnectsUntil, null);
		}

	}

	/**
	 * A session on a node.
	 *
	 * @param nodeId the node
	 * @param sessionId the session
	 */
	record SessionRef(String nodeId, String sessionId) {

	}

	/**
	 * A message on a relay channel that is not a valid relay message.
	 */
	static final class RejectedRelayException extends RuntimeException {

		private final String reason;

		RejectedRelayException(String reason, String detail) {
			super(detail, null, false, false);
			this.reason = reason;
		}

		/**
		 * Return the short, fixed reason used as the metric tag.
		 */
		String reason() {
			return this.reason;
		}

	}

}
