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
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RelayCodec}: what crosses nodes, and what is refused.
 */
class RelayCodecTests {

	// version, kind, origin, user, id, type, seq, attempt, createdAt, sentAt;
	// then the payload
	private static final String VALID = "NR2\nuser\nnode-a\nalice\nm-1\ntext\n\n0\n2026-01-01T00:00:00Z\n\n{\"a\":1}";

	private final RelayCodec codec = new RelayCodec(4096, null, TestPayloadJson.create());

	@Test
	void whenUserNotificationIsWrittenThenReadingGivesItBackUnchanged() {
		Notification sent = new Notification("0190-abc", "order.shipped", "{\"order\":\"A-1\",\"price\":1.10}",
				Instant.parse("2026-03-01T10:15:30.123456Z"), 42L, "alice", 2, Instant.parse("2026-03-01T10:15:31Z"));

		RelayCodec.Envelope envelope = this.codec.read(this.codec.user("node-a", sent));

		assertThat(envelope.kind()).isEqualTo(RelayCodec.Kind.USER);
		assertThat(envelope.origin()).isEqualTo("node-a");
		assertThat(envelope.userId()).isEqualTo("alice");
		assertThat(envelope.notification()).isEqualTo(sent);
	}

	@Test
	void whenAPayloadHoldsLineBreaksAndUnicodeThenItComesBackUnchanged() {
		String payload = "{\"text\":\"two\\nlines\",\n \"emoji\":\"\u2764\ufe0f\",\"nested\":[1,{\"a\":null}]}";
		Notification sent = new Notification("m-9", "chat", payload, Instant.parse("2026-03-01T10:15:30Z"), 1L, "bob",
				0, null);

		assertThat(this.codec.read(this.codec.user("node-a", sent)).notification()).isEqualTo(sent);
	}

	@Test
	void whenTheFormatIsWrittenThenItIsTheDocumentedLines() {
		Instant created = Instant.parse("2026-03-01T10:15:30.123456789Z");
		Notification sent = new Notification("m-2", "text", "[1]", created, 5L, "alice", 1, null);

		assertThat(this.codec.user("node-a", sent)).isEqualTo("NR2\nuser\nnode-a\nalice\nm-2\ntext\n5\n1\n"
				+ (created.getEpochSecond() * 1_000_000_000L + created.getNano()) + "\n\n[1]");
	}

	@Test
	void whenInstantsAreWrittenThenTheyTravelAsEpochNanosecondsAndComeBackExactly() {
		Instant created = Instant.parse("2026-03-01T10:15:30.123456789Z");
		Notification sent = new Notification("m-2", "text", null, created, null, "alice", 0, created.plusNanos(1));

		String text = this.codec.user("node-a", sent);

		assertThat(text).contains("\n" + (created.getEpochSecond() * 1_000_000_000L + created.getNano()) + "\n");
		assertThat(this.codec.read(text).notification()).isEqualTo(sent);
		// text instants are read too, and those a long cannot hold are written as text
		assertThat(this.codec.read(VALID).notification().createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		Notification farFuture = new Notification("m-3", "text", null, Instant.parse("3000-01-01T00:00:00Z"), null,
				"alice", 0, null);
		assertThat(this.codec.user("node-a", farFuture)).contains("\n3000-01-01T00:00:00Z\n");
		assertThat(this.codec.read(this.codec.user("node-a", farFuture)).notification()).isEqualTo(farFuture);
	}

	@Test
	void whenBroadcastAndDisconnectAreWrittenThenReadingGivesThemBack() {
		Notification broadcast = new Notification("b-1", "news", null, Instant.parse("2026-03-01T10:15:30Z"), null,
				null, 0, null);

		RelayCodec.Envelope read = this.codec.read(this.codec.broadcast("node-b", broadcast));
		RelayCodec.Envelope disconnect = this.codec.read(this.codec.disconnect("node-c", "bob", null));

		assertThat(read.kind()).isEqualTo(RelayCodec.Kind.BROADCAST);
		assertThat(read.notification()).isEqualTo(broadcast);
		assertThat(disconnect.kind()).isEqualTo(RelayCodec.Kind.DISCONNECT);
		assertThat(disconnect.userId()).isEqualTo("bob");
		assertThat(disconnect.notification()).isNull();
	}

	@Test
	void whenADisconnectRefusesReconnectsThenTheEndOfTheBlockTravelsWithItAndAnAllowLiftsIt() {
		Instant until = Instant.parse("2026-12-02T15:00:00.123Z");

		RelayCodec.Envelope disconnect = this.codec.read(this.codec.disconnect("node-c", "bob", until));
		RelayCodec.Envelope allow = this.codec.read(this.codec.allow("node-c", "bob"));

		assertThat(disconnect.kind()).isEqualTo(RelayCodec.Kind.DISCONNECT);
		assertThat(disconnect.refuseReconnectsUntil()).isEqualTo(until);
		assertThat(allow.kind()).isEqualTo(RelayCodec.Kind.ALLOW);
		assertThat(allow.userId()).isEqualTo("bob");
		assertThat(allow.refuseReconnectsUntil()).isNull();
	}

	@Test
	void whenACatchUpRequestIsWrittenThenReadingGivesItBack() {
		RelayCodec.Envelope read = this.codec.read(this.codec.catchUp("node-d"));

		assertThat(read.kind()).isEqualTo(RelayCodec.Kind.CATCH_UP);
		assertThat(read.origin()).isEqualTo("node-d");
		assertThat(read.userId()).isNull();
		assertThat(read.notification()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';',
			textBlock = """
					not ours                    ; hello                                                 ; malformed
					JSON (the old format)       ; {"v":1,"kind":"user"}                                 ; malformed
					Java serialization          ; '\u00ac\u00ed\u0000\u0005sr\u0000\u000ejava.util.Date'  ; malformed
					no version number           ; NR\\nuser                                              ; malformed
					newer version               ; NR3\\nuser\\na\\n\\n\\n\\n\\n\\n\\n\\n                        ; unsupported-version
					too few lines               ; NR2\\nuser\\na                                          ; malformed
					unknown kind                ; NR2\\nexec\\na\\n\\n\\n\\n\\n\\n\\n\\n                        ; unknown-kind
					origin with a separator     ; NR2\\ndisconnect\\na|b\\nbob\\n\\n\\n\\n\\n\\n\\n             ; malformed
					user id with a slash        ; NR2\\ndisconnect\\na\\n../bob\\n\\n\\n\\n\\n\\n\\n            ; malformed
					disconnect with a message   ; NR2\\ndisconnect\\na\\nbob\\nm-1\\n\\n\\n\\n\\n\\n            ; malformed
					broadcast with a user       ; NR2\\nbroadcast\\na\\nbob\\nm-1\\ntext\\n\\n0\\n1\\n\\n         ; malformed
					catch-up with a user        ; NR2\\ncatch-up\\na\\nbob\\n\\n\\n\\n\\n\\n\\n                 ; malformed
					replaced without a session  ; NR2\\nreplaced\\na\\nbob\\nnode-a\\n\\n\\n\\n\\n\\n         ; malformed
					replaced session with a bar ; NR2\\nreplaced\\na\\nbob\\nnode-a\\ns|1\\n\\n\\n\\n\\n      ; malformed
					replaced on a bad node id   ; NR2\\nreplaced\\na\\nbob\\nnode a\\ns-1\\n\\n\\n\\n\\n      ; malformed
					replaced with a message     ; NR2\\nreplaced\\na\\nbob\\nnode-a\\ns-1\\n\\n\\n\\n\\n{}    ; malformed
					""")
	void whenMessageIsNotOneOfOursThenItIsRejectedWithAReason(String description, String text, String reason) {
		String message = text.replace("\\n", "\n");
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(message))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			payload that breaks out of the body | \\n{"a":1}                   | \\n1,"seq":9
			payload that is cut short            | \\n{"a":1}                   | \\n{"a":
			payload of two values                | \\n{"a":1}                   | \\n{"a":1} {"b":2}
			type with a space                    | \\ntext\\n                     | \\nte xt\\n
			id with a space                      | \\nm-1\\n                      | \\nm 1\\n
			bad creation time                    | \\n2026-01-01T00:00:00Z\\n     | \\nyesterday\\n
			fractional creation time             | \\n2026-01-01T00:00:00Z\\n     | \\n1.5\\n
			creation time beyond a long          | \\n2026-01-01T00:00:00Z\\n     | \\n99999999999999999999\\n
			no creation time                     | \\n2026-01-01T00:00:00Z\\n     | \\n\\n
			fractional seq                       | \\ntext\\n\\n                   | \\ntext\\n1.5\\n
			negative attempt                     | \\n0\\n2026                     | \\n-1\\n2026
			""")
	void whenUserMessageHasABadFieldThenItIsRejected(String description, String field, String replacement) {
		String text = VALID.replace(field.replace("\\n", "\n"), replacement.replace("\\n", "\n"));
		assertThat(text).isNotEqualTo(VALID);
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("malformed"));
	}

	@Test
	void whenAReplacedSessionIsWrittenThenReadingGivesBackItsNodeAndSession() {
		RelayCodec.Envelope envelope = this.codec.read(this.codec.replaced("node-b", "alice", "node-a", "5f3c-1"));

		assertThat(envelope.kind()).isEqualTo(RelayCodec.Kind.REPLACED);
		assertThat(envelope.origin()).isEqualTo("node-b");
		assertThat(envelope.userId()).isEqualTo("alice");
		assertThat(envelope.session()).isEqualTo(new RelayCodec.SessionRef("node-a", "5f3c-1"));
		assertThat(envelope.notification()).isNull();
	}

	@Test
	void whenMessageIsLongerThanTheLimitThenItIsRejectedUnread() {
		String text = VALID.replace("{\"a\":1}", "\"" + "x".repeat(5000) + "\"");
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("oversized"));
	}

	@Test
	void whenASecretIsSetThenMessagesAreSignedAndOnlySignedOnesAreRead() {
		String secret = "a-relay-secret-of-at-least-thirty-two-characters";
		RelayCodec signing = new RelayCodec(4096, secret, TestPayloadJson.create());
		Notification sent = new Notification("id-1", "text", "{\"a\":1}", Instant.parse("2026-01-01T00:00:00Z"), 3L,
				"alice", 0, null);
		String signed = signing.user("node-a", sent);

		assertThat(signed).startsWith("s1.");
		assertThat(signing.read(signed).notification()).isEqualTo(sent);
		assertThatRejected(() -> signing.read(this.codec.user("node-a", sent)), "unsigned");
		assertThatRejected(() -> signing.read(signed.replace("alice", "bob__")), "bad-signature");
		assertThatRejected(
				() -> signing.read(
						new RelayCodec(4096, secret.replace('a', 'b'), TestPayloadJson.create()).user("node-a", sent)),
				"bad-signature");
		assertThatRejected(() -> signing.read("s1.!!!." + this.codec.user("node-a", sent)), "bad-signature");
	}

	private static void assertThatRejected(Runnable read, String reason) {
		assertThatThrownBy(read::run).isInstanceOfSatisfying(RelayCodec.RejectedRelayException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
