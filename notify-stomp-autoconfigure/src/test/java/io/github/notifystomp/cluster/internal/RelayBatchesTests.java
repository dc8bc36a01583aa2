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

import org.junit.jupiter.api.Test;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link RelayBatches}: several relay messages in one, each read and checked on
 * its own.
 */
class RelayBatchesTests {

	private static final String VALID = "NR2\nuser\nnode-a\nalice\nm-1\ntext\n\n0\n2026-01-01T00:00:00Z\n\n{\"a\":1}";

	private final RelayCodec codec = new RelayCodec(4096, null, TestPayloadJson.create());

	private final RelayBatches batches = new RelayBatches(4096);

	@Test
	void whenABatchIsWrittenThenReadingGivesBackEveryMessageInOrder() {
		List<Notification> sent = List.of(
				new Notification("m-1", "text", "{\"a\":\"two\\nlines \u2764\"}", Instant.parse("2026-01-01T00:00:00Z"),
						1L, "alice", 0, null),
				new Notification("m-2", "text", null, Instant.parse("2026-01-01T00:00:01Z"), null, "bob", 1, null),
				new Notification("m-3", "text", "[1,2]", Instant.parse("2026-01-01T00:00:02Z"), 2L, "alice", 0,
						Instant.parse("2026-01-01T00:00:03Z")));
		List<RelayBatches.Entry> entries = sent.stream()
			.map((notification) -> this.batches.entry(this.codec.user("node-a", notification)))
			.toList();

		String batch = this.batches.write("node-a", entries, new RelayBatches.Sequence(1, 12, 5, "e1"));

		assertThat(RelayBatches.isBatch(batch)).isTrue();
		assertThat(batch).startsWith("NR2\nbatch\nnode-a\n3 1 12 5 e1\n");
		RelayBatches.Batch read = this.batches.read(batch);
		assertThat(read.origin()).isEqualTo("node-a");
		assertThat(read.sequence()).isEqualTo(new RelayBatches.Sequence(1, 12, 5, "e1"));
		assertThat(read.messages().stream().map((text) -> this.codec.read(text).notification()))
			.containsExactlyElementsOf(sent);
	}

	@Test
	void whenABatchHoldsOneMessageThenItStillCarriesTheNumbers() {
		Notification sent = new Notification("m-1", "text", "{}", Instant.parse("2026-01-01T00:00:00Z"), null, "alice",
				0, null);
		String message = this.codec.user("node-a", sent);

		String relay = this.batches.write("node-a", List.of(this.batches.entry(message)),
				new RelayBatches.Sequence(1, 1, 1, "e1"));

		assertThat(relay).isEqualTo("NR2\nbatch\nnode-a\n1 1 1 1 e1\n" + message.length() + "\n" + message);
		assertThat(this.batches.read(relay).messages()).containsExactly(message);
	}

	@Test
	void whenABatchHasNoNumbersThenItIsReadWithoutThem() {
		String one = this.batches.entry(VALID).framed();

		RelayBatches.Batch read = this.batches.read("NR2\nbatch\nnode-a\n2\n" + one + one);

		assertThat(read.messages()).containsExactly(VALID, VALID);
		assertThat(read.sequence()).isNull();
	}

	@Test
	void whenASecretIsSetThenEveryMessageOfABatchIsSignedAndChecked() {
		String secret = "a-relay-secret-of-at-least-thirty-two-characters";
		RelayCodec signing = new RelayCodec(4096, secret, TestPayloadJson.create());
		Notification first = new Notification("id-1", "text", "{\"a\":1}", Instant.parse("2026-01-01T00:00:00Z"), 3L,
				"alice", 0, null);
		Notification second = new Notification("id-2", "text", "{\"a\":2}", Instant.parse("2026-01-01T00:00:00Z"), 4L,
				"alice", 0, null);
		String batch = this.batches.write("node-a", List.of(this.batches.entry(signing.user("node-a", first)),
				this.batches.entry(signing.user("node-a", second))), new RelayBatches.Sequence(0, 2, 0, "e1"));

		List<String> messages = this.batches.read(batch).messages();

		assertThat(messages).allSatisfy((message) -> assertThat(message).startsWith("s1."));
		assertThat(messages.stream().map((text) -> signing.read(text).notification())).containsExactly(first, second);
		String unsigned = this.batches.write("node-a",
				List.of(this.batches.entry(this.codec.user("node-a", first)),
						this.batches.entry(this.codec.user("node-a", second))),
				new RelayBatches.Sequence(0, 2, 0, "e1"));
		assertThat(this.batches.read(unsigned).messages())
			.allSatisfy((message) -> assertThatRejected(() -> signing.read(message), "unsigned"));
		String forged = batch.replace("alice", "bob__");
		assertThat(this.batches.read(forged).messages())
			.allSatisfy((message) -> assertThatRejected(() -> signing.read(message), "bad-signature"));
	}

	@Test
	void whenABatchIsMalformedThenItIsRejected() {
		String one = this.batches.entry(VALID).framed();
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode a\n2\n" + one + one), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n3\n" + one + one), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n1\n" + one), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n2\n" + one + one + "x"), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n2\n99999\n" + VALID + one), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n2\n-5\n" + VALID + one), "malformed");
		RelayBatches.Sequence numbers = new RelayBatches.Sequence(0, 2, 0, "e1");
		String nested = this.batches.write("node-a", List.of(this.batches.entry(VALID), this.batches.entry(VALID)),
				numbers);
		String outer = this.batches.write("node-a", List.of(this.batches.entry(nested), this.batches.entry(VALID)),
				numbers);
		assertThatRejected(() -> this.batches.read(outer), "malformed");
		assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n2\n" + "x".repeat(5000)), "oversized");
	}

	@Test
	void whenTheNumbersOfABatchCannotBeTrueThenItIsRejected() {
		String one = this.batches.entry(VALID).framed();
		// more not stored than it holds; fewer relayed than it holds; fewer relayed not
		// stored than it holds not stored; more relayed not stored than relayed; more
		// not stored before it than relayed before it; not numbers; no epoch; a bad epoch
		for (String numbers : List.of("3 10 5 e1", "1 1 5 e1", "0 5 6 e1", "1 5 0 e1", "0 5 5 e1", "x 5 1 e1",
				"0 5 -1 e1", "1 5 4", "1 5 4 e.1", "1 5 4 " + "e".repeat(65))) {
			assertThatRejected(() -> this.batches.read("NR2\nbatch\nnode-a\n1 " + numbers + "\n" + one), "malformed");
		}
		assertThat(this.batches.read("NR2\nbatch\nnode-a\n1 1 5 4 e-1_A\n" + one).sequence())
			.isEqualTo(new RelayBatches.Sequence(1, 5, 4, "e-1_A"));
	}

	private static void assertThatRejected(Runnable read, String reason) {
		assertThatThrownBy(read::run).isInstanceOfSatisfying(RelayCodec.RejectedRelayException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
