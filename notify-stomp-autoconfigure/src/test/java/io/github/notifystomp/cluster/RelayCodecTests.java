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

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.delivery.Notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RelayCodec}: what crosses nodes, and what is refused.
 */
class RelayCodecTests {

	private static final String VALID = "{\"v\":1,\"kind\":\"user\",\"origin\":\"node-a\",\"userId\":\"alice\","
			+ "\"id\":\"m-1\",\"type\":\"text\",\"payload\":\"{\\\"a\\\":1}\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";

	private final RelayCodec codec = new RelayCodec(4096);

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
	void whenInstantsAreWrittenThenTheyTravelAsEpochNanosecondsAndComeBackExactly() {
		Instant created = Instant.parse("2026-03-01T10:15:30.123456789Z");
		Notification sent = new Notification("m-2", "text", null, created, null, "alice", 0, created.plusNanos(1));

		String text = this.codec.user("node-a", sent);

		assertThat(text).contains("\"createdAt\":" + (created.getEpochSecond() * 1_000_000_000L + created.getNano()));
		assertThat(this.codec.read(text).notification()).isEqualTo(sent);
		// text instants are read too, and those a long cannot hold are written as text
		assertThat(this.codec.read(VALID).notification().createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		Notification farFuture = new Notification("m-3", "text", null, Instant.parse("3000-01-01T00:00:00Z"), null,
				"alice", 0, null);
		assertThat(this.codec.user("node-a", farFuture)).contains("\"createdAt\":\"3000-01-01T00:00:00Z\"");
		assertThat(this.codec.read(this.codec.user("node-a", farFuture)).notification()).isEqualTo(farFuture);
	}

	@Test
	void whenBroadcastAndDisconnectAreWrittenThenReadingGivesThemBack() {
		Notification broadcast = new Notification("b-1", "news", null, Instant.parse("2026-03-01T10:15:30Z"), null,
				null, 0, null);

		RelayCodec.Envelope read = this.codec.read(this.codec.broadcast("node-b", broadcast));
		RelayCodec.Envelope disconnect = this.codec.read(this.codec.disconnect("node-c", "bob"));

		assertThat(read.kind()).isEqualTo(RelayCodec.Kind.BROADCAST);
		assertThat(read.notification()).isEqualTo(broadcast);
		assertThat(disconnect.kind()).isEqualTo(RelayCodec.Kind.DISCONNECT);
		assertThat(disconnect.userId()).isEqualTo("bob");
		assertThat(disconnect.notification()).isNull();
	}

	@Test
	void whenACatchUpRequestIsWrittenThenReadingGivesItBack() {
		RelayCodec.Envelope read = this.codec.read(this.codec.catchUp("node-d"));

		assertThat(read.kind()).isEqualTo(RelayCodec.Kind.CATCH_UP);
		assertThat(read.origin()).isEqualTo("node-d");
		assertThat(read.userId()).isNull();
		assertThat(read.notification()).isNull();
	}

	@Test
	void whenUnknownFieldsArePresentThenTheyAreIgnored() {
		assertThat(this.codec.read(VALID.replace("{\"v\":1,", "{\"v\":1,\"future\":[1,2],")).userId())
			.isEqualTo("alice");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';',
			textBlock = """
					not JSON                    ; hello                                                         ; malformed
					JSON array                  ; [1,2]                                                         ; malformed
					Java serialization          ; '\u00ac\u00ed\u0000\u0005sr\u0000\u000ejava.util.Date'        ; malformed
					no version                  ; {"kind":"user"}                                               ; malformed
					newer version               ; {"v":2,"kind":"user","origin":"a"}                            ; unsupported-version
					unknown kind                ; {"v":1,"kind":"exec","origin":"a"}                            ; unknown-kind
					origin with a separator     ; {"v":1,"kind":"disconnect","origin":"a|b","userId":"bob"}     ; malformed
					user id with a slash        ; {"v":1,"kind":"disconnect","origin":"a","userId":"../bob"}    ; malformed
					broadcast with a user       ; {"v":1,"kind":"broadcast","origin":"a","userId":"bob"}        ; malformed
					catch-up with a user        ; {"v":1,"kind":"catch-up","origin":"a","userId":"bob"}         ; malformed
					""")
	void whenMessageIsNotOneOfOursThenItIsRejectedWithAReason(String description, String text, String reason) {
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			payload that breaks out of the body | "payload":"{\\"a\\":1}"            | "payload":"1,\\"seq\\":9"
			payload that is cut short            | "payload":"{\\"a\\":1}"            | "payload":"{\\"a\\":"
			payload that is not a string         | "payload":"{\\"a\\":1}"            | "payload":{"a":1}
			header-breaking type                 | "type":"text"                      | "type":"text\\nx:y"
			id with a space                      | "id":"m-1"                         | "id":"m 1"
			bad creation time                    | "createdAt":"2026-01-01T00:00:00Z" | "createdAt":"yesterday"
			fractional creation time             | "createdAt":"2026-01-01T00:00:00Z" | "createdAt":1.5
			creation time beyond a long          | "createdAt":"2026-01-01T00:00:00Z" | "createdAt":99999999999999999999
			fractional seq                       | "createdAt"                        | "seq":1.5,"createdAt"
			negative attempt                     | "createdAt"                        | "attempt":-1,"createdAt"
			""")
	void whenUserMessageHasABadFieldThenItIsRejected(String description, String field, String replacement) {
		String text = VALID.replace(field, replacement);
		assertThat(text).isNotEqualTo(VALID);
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("malformed"));
	}

	@Test
	void whenMessageIsLongerThanTheLimitThenItIsRejectedUnread() {
		String text = VALID.replace("{\\\"a\\\":1}", "\\\"" + "x".repeat(5000) + "\\\"");
		assertThatExceptionOfType(RelayCodec.RejectedRelayException.class).isThrownBy(() -> this.codec.read(text))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("oversized"));
	}

	@Test
	void whenASecretIsSetThenMessagesAreSignedAndOnlySignedOnesAreRead() {
		String secret = "a-relay-secret-of-at-least-thirty-two-characters";
		RelayCodec signing = new RelayCodec(4096, secret);
		Notification sent = new Notification("id-1", "text", "{\"a\":1}", Instant.parse("2026-01-01T00:00:00Z"), 3L,
				"alice", 0, null);
		String signed = signing.user("node-a", sent);

		assertThat(signed).startsWith("s1.");
		assertThat(signing.read(signed).notification()).isEqualTo(sent);
		assertThatRejected(() -> signing.read(this.codec.user("node-a", sent)), "unsigned");
		assertThatRejected(() -> signing.read(signed.replace("alice", "bob__")), "bad-signature");
		assertThatRejected(() -> signing.read(new RelayCodec(4096, secret.replace('a', 'b')).user("node-a", sent)),
				"bad-signature");
		assertThatRejected(() -> signing.read("s1.!!!." + this.codec.user("node-a", sent)), "bad-signature");
	}

	private static void assertThatRejected(Runnable read, String reason) {
		assertThatThrownBy(read::run).isInstanceOfSatisfying(RelayCodec.RejectedRelayException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
