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

package io.github.notifystomp.cluster;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.notifystomp.auth.UserIds;
import io.github.notifystomp.delivery.Notification;

/**
 * Writes and reads relay messages: a JSON envelope with a version, a kind, the origin
 * node and the {@link Notification} fields, the payload embedded as JSON text. Reading
 * uses a private mapper into a tree, so nothing on a relay channel can choose a Java
 * class, and every field is checked before anything is delivered.
 * <p>
 * Example: <pre>{"v":1,"kind":"user","origin":"node-a","userId":"alice","id":"...",
 * "type":"text","payload":"{\"hello\":1}","createdAt":"...","seq":7,"attempt":0,
 * "sentAt":"..."}</pre>
 */
final class RelayCodec {

	static final int VERSION = 1;

	private static final int MAX_TEXT_FIELD = 255;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	// the rules NotifyMessage applies to ids and types: a relay can carry nothing a local
	// sender could not
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

	private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final ObjectMapper mapper = JsonMapper.builder().build();

	private final JsonFactory factory = this.mapper.getFactory();

	private final int maxLength;

	private final RelaySignature signature;

	/**
	 * Create a codec that neither signs nor checks signatures.
	 * @param maxLength the longest relay message read, in characters
	 */
	RelayCodec(int maxLength) {
		this(maxLength, null);
	}

	/**
	 * Create a codec.
	 * @param maxLength the longest relay message read, in characters
	 * @param secret the cluster's relay secret: every message written is signed with it,
	 * and a message read must carry a valid signature; {@code null} for none
	 */
	RelayCodec(int maxLength, String secret) {
		this.maxLength = maxLength;
		this.signature = (secret != null) ? new RelaySignature(secret) : null;
	}

	String user(String origin, Notification notification) {
		return write(Kind.USER, origin, notification, notification.userId());
	}

	String broadcast(String origin, Notification notification) {
		return write(Kind.BROADCAST, origin, notification, null);
	}

	String disconnect(String origin, String userId) {
		return write(Kind.DISCONNECT, origin, null, userId);
	}

	String catchUp(String origin) {
		return write(Kind.CATCH_UP, origin, null, null);
	}

	private String write(Kind kind, String origin, Notification notification, String userId) {
		StringWriter out = new StringWriter(
				256 + ((notification != null && notification.payload() != null) ? notification.payload().length() : 0));
		try (JsonGenerator json = this.factory.createGenerator(out)) {
			json.writeStartObject();
			json.writeNumberField("v", VERSION);
			json.writeStringField("kind", kind.wireName);
			json.writeStringField("origin", origin);
			if (userId != null) {
				json.writeStringField("userId", userId);
			}
			if (notification != null) {
				json.writeStringField("id", notification.id());
				json.writeStringField("type", notification.type());
				json.writeStringField("payload", notification.payload());
				writeInstant(json, "createdAt", notification.createdAt());
				if (notification.seq() != null) {
					json.writeNumberField("seq", notification.seq());
				}
				json.writeNumberField("attempt", notification.attempt());
				if (notification.sentAt() != null) {
					writeInstant(json, "sentAt", notification.sentAt());
				}
			}
			json.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return (this.signature != null) ? this.signature.sign(out.toString()) : out.toString();
	}

	// nanoseconds since the epoch: exact, and far cheaper to write and read than ISO-8601
	// text, which remains for instants a long cannot hold (after the year 2262)
	private static void writeInstant(JsonGenerator json, String field, Instant instant) throws IOException {
		long nanos;
		try {
			nanos = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
		}
		catch (ArithmeticException ex) {
			json.writeStringField(field, instant.toString());
			return;
		}
		json.writeNumberField(field, nanos);
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
		JsonNode root;
		try {
			root = this.mapper.readTree(text);
		}
		catch (IOException ex) {
			throw new RejectedRelayException("malformed", "not JSON");
		}
		if (root == null || !root.isObject()) {
			throw new RejectedRelayException("malformed", "not a JSON object");
		}
		JsonNode version = root.get("v");
		if (version == null || !version.canConvertToInt()) {
			throw new RejectedRelayException("malformed", "no version");
		}
		if (version.intValue() != VERSION) {
			throw new RejectedRelayException("unsupported-version", "version " + version.asText());
		}
		Kind kind = Kind.of(text(root, "kind", false));
		String origin = text(root, "origin", false);
		if (!NODE_ID.matcher(origin).matches()) {
			throw new RejectedRelayException("malformed", "bad origin");
		}
		if (kind == Kind.CATCH_UP) {
			if (root.get("userId") != null || root.get("id") != null) {
				throw new RejectedRelayException("malformed", "catch-up with a message");
			}
			return new Envelope(kind, origin, null, null);
		}
		String userId = text(root, "userId", kind == Kind.BROADCAST);
		if (kind == Kind.BROADCAST && userId != null) {
			throw new RejectedRelayException("malformed", "broadcast with a user id");
		}
		if (kind != Kind.BROADCAST && !UserIds.isValid(userId)) {
			throw new RejectedRelayException("malformed", "bad user id");
		}
		if (kind == Kind.DISCONNECT) {
			return new Envelope(kind, origin, userId, null);
		}
		Long seq = (kind == Kind.USER) ? optionalLong(root, "seq") : null;
		JsonNode attemptNode = root.get("attempt");
		int attempt = (attemptNode == null || attemptNode.isNull()) ? 0 : requireInt(attemptNode, "attempt");
		if (attempt < 0) {
			throw new RejectedRelayException("malformed", "negative attempt");
		}
		String id = text(root, "id", false);
		String type = text(root, "type", false);
		if (!ID.matcher(id).matches() || !TYPE.matcher(type).matches()) {
			throw new RejectedRelayException("malformed", "bad id or type");
		}
		Notification notification = new Notification(id, type, payload(root), instant(root, "createdAt", false), seq,
				userId, attempt, instant(root, "sentAt", true));
		return new Envelope(kind, origin, userId, notification);
	}

	private static String text(JsonNode root, String field, boolean optional) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			if (optional) {
				return null;
			}
			throw new RejectedRelayException("malformed", "no " + field);
		}
		if (!node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > MAX_TEXT_FIELD) {
			throw new RejectedRelayException("malformed", "bad " + field);
		}
		return node.textValue();
	}

	private static Long optionalLong(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			throw new RejectedRelayException("malformed", "bad " + field);
		}
		return node.longValue();
	}

	private static int requireInt(JsonNode node, String field) {
		if (!node.isIntegralNumber() || !node.canConvertToInt()) {
			throw new RejectedRelayException("malformed", "bad " + field);
		}
		return node.intValue();
	}

	private static Instant instant(JsonNode root, String field, boolean optional) {
		JsonNode node = root.get(field);
		if (node != null && node.isNumber()) {
			if (!node.isIntegralNumber() || !node.canConvertToLong()) {
				throw new RejectedRelayException("malformed", "bad " + field);
			}
			return Instant.ofEpochSecond(0, node.longValue());
		}
		String text = text(root, field, optional);
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new RejectedRelayException("malformed", "bad " + field);
		}
	}

	// the payload goes raw into MESSAGE bodies, so it must be exactly one JSON value
	private String payload(JsonNode root) {
		JsonNode node = root.get("payload");
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isTextual()) {
			throw new RejectedRelayException("malformed", "bad payload");
		}
		String payload = node.textValue();
		try (JsonParser parser = this.factory.createParser(payload)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw new RejectedRelayException("malformed", "empty payload");
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				throw new RejectedRelayException("malformed", "payload is not one JSON value");
			}
		}
		catch (IOException ex) {
			throw new RejectedRelayException("malformed", "payload is not JSON");
		}
		return payload;
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
		 * Close the local sessions of the named user.
		 */
		DISCONNECT("disconnect"),

		/**
		 * Catch the local sessions up from the store: the origin could not relay some
		 * stored messages.
		 */
		CATCH_UP("catch-up");

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
	 */
	record Envelope(Kind kind, String origin, String userId, Notification notification) {

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
