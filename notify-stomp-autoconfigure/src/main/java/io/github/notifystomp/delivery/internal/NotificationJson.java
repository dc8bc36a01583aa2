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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.json.PayloadJson;

/**
 * Writes payloads and MESSAGE bodies as JSON. The body is
 * {@code {"id","type","payload","createdAt","seq"}}, with the payload embedded as JSON.
 * Payloads are written by a {@link PayloadJson}, the application's JSON mapper; the body
 * around them has a fixed shape and is written here, the same on every Spring Boot line.
 */
public class NotificationJson {

	// 10000-01-01T00:00:00Z: from there on ISO-8601 years get a sign
	private static final long YEAR_10000 = 253402300800L;

	private final PayloadJson payloadJson;

	// the last second a body was written in; racing writers at worst each make their own
	private volatile Second lastSecond;

	/**
	 * Create an instance that writes payloads with the given writer.
	 * @param payloadJson writes payloads, normally with the application's mapper
	 */
	public NotificationJson(PayloadJson payloadJson) {
		this.payloadJson = payloadJson;
	}

	/**
	 * Serialize a payload.
	 * @param payload the payload, may be {@code null}
	 * @return the JSON text, or {@code null} for a {@code null} payload
	 * @throws IllegalArgumentException if the payload cannot be serialized
	 */
	public String payload(Object payload) {
		return this.payloadJson.write(payload);
	}

	/**
	 * Write the MESSAGE body of a notification.
	 * @param notification the notification
	 * @return the UTF-8 JSON body
	 */
	public byte[] body(Notification notification) {
		String payload = notification.payload();
		StringBuilder json = new StringBuilder(112 + ((payload != null) ? payload.length() : 4));
		json.append("{\"id\":");
		quoted(json, notification.id());
		json.append(",\"type\":");
		quoted(json, notification.type());
		json.append(",\"payload\":").append((payload != null) ? payload : "null");
		json.append(",\"createdAt\":\"");
		appendIsoText(json, notification.createdAt());
		json.append("\",\"seq\":").append((notification.seq() != null) ? notification.seq().toString() : "null");
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	// ids and types are checked against a small character set before they get here; the
	// escapes keep the body valid JSON whatever a replaced component lets through
	static void quoted(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

	/**
	 * The same text as {@link Instant#toString()}, without its general-purpose formatter,
	 * which cost about a tenth of a node's CPU per message.
	 */
	static String isoText(Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds < 0 || seconds >= YEAR_10000) {
			return instant.toString();
		}
		StringBuilder text = new StringBuilder(30).append(secondText(seconds));
		return fraction(text, instant.getNano()).append('Z').toString();
	}

	// isoText, with the date and time of the second kept for the next messages, which
	// are mostly of the same second
	private void appendIsoText(StringBuilder json, Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds < 0 || seconds >= YEAR_10000) {
			json.append(instant.toString());
			return;
		}
		Second second = this.lastSecond;
		if (second == null || second.epochSecond() != seconds) {
			second = new Second(seconds, secondText(seconds));
			this.lastSecond = second;
		}
		fraction(json.append(second.text()), instant.getNano()).append('Z');
	}

	// yyyy-MM-ddTHH:mm:ss of a second from 1970 to 9999
	private static String secondText(long seconds) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
		StringBuilder text = new StringBuilder(19);
		digits(text, time.getYear(), 4).append('-');
		digits(text, time.getMonthValue(), 2).append('-');
		digits(text, time.getDayOfMonth(), 2).append('T');
		digits(text, time.getHour(), 2).append(':');
		digits(text, time.getMinute(), 2).append(':');
		return digits(text, time.getSecond(), 2).toString();
	}

	// like ISO_INSTANT: milli, micro or nano digits, whichever is exact
	private static StringBuilder fraction(StringBuilder text, int nano) {
		if (nano == 0) {
			return text;
		}
		text.append('.');
		if (nano % 1_000_000 == 0) {
			return digits(text, nano / 1_000_000, 3);
		}
		if (nano % 1_000 == 0) {
			return digits(text, nano / 1_000, 6);
		}
		return digits(text, nano, 9);
	}

	// value in exactly width digits, zeros first; value has at most width digits
	private static StringBuilder digits(StringBuilder text, int value, int width) {
		int divisor = 1;
		for (int i = 1; i < width; i++) {
			divisor *= 10;
		}
		for (; divisor > 0; divisor /= 10) {
			text.append((char) ('0' + (value / divisor) % 10));
		}
		return text;
	}

	/**
	 * The text of one second, as isoText writes it before the fraction.
	 *
	 * @param epochSecond the second
	 * @param text its text
	 */
	private record Second(long epochSecond, String text) {
	}

}
