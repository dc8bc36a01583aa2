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

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.test.TestPayloadJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NotificationJson}: the MESSAGE body clients parse.
 */
class NotificationJsonTests {

	@Test
	void whenABodyIsWrittenThenItHoldsTheFieldsWithThePayloadEmbedded() {
		Notification notification = new Notification("m-1", "order.shipped", "{\"order\":\"A-1\"}",
				Instant.parse("2026-03-01T10:15:30.120Z"), 7L, "alice", 0, null);

		String body = new String(new NotificationJson(TestPayloadJson.create()).body(notification),
				StandardCharsets.UTF_8);

		assertThat(body).isEqualTo("{\"id\":\"m-1\",\"type\":\"order.shipped\",\"payload\":{\"order\":\"A-1\"},"
				+ "\"createdAt\":\"2026-03-01T10:15:30.120Z\",\"seq\":7}");
	}

	@Property(tries = 2000)
	void whenAnInstantIsWrittenThenTheTextIsExactlyInstantToString(
			@ForAll @LongRange(min = -100_000_000_000L, max = 300_000_000_000L) long seconds,
			@ForAll @LongRange(min = 0, max = 999_999_999) long nanos, @ForAll boolean wholeMillis) {
		Instant instant = Instant.ofEpochSecond(seconds, wholeMillis ? (nanos / 1_000_000) * 1_000_000 : nanos);

		assertThat(NotificationJson.isoText(instant)).isEqualTo(instant.toString());
	}

	@Test
	void whenAnInstantIsOnAnEdgeThenTheTextIsExactlyInstantToString() {
		for (Instant instant : new Instant[] { Instant.EPOCH, Instant.EPOCH.minusNanos(1),
				Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
				Instant.parse("2026-01-01T00:00:00.000001Z"), Instant.parse("2026-01-01T00:00:00.100Z"),
				Instant.parse("0001-01-01T00:00:00Z"), Instant.MAX, Instant.MIN }) {
			assertThat(NotificationJson.isoText(instant)).isEqualTo(instant.toString());
		}
	}

	@Property(tries = 300)
	void whenBodiesAreWrittenOneAfterTheOtherThenEachCreatedAtIsExactlyInstantToString(
			@ForAll @LongRange(min = 0, max = 253402300799L) long seconds,
			@ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
		NotificationJson json = new NotificationJson(TestPayloadJson.create());
		// the same second again, the next one, a second before, and one far away: the
		// second kept from the previous body must never leak into the next
		Instant first = Instant.ofEpochSecond(seconds, nanos);
		for (Instant instant : new Instant[] { first, first.plusNanos(1), first.plusSeconds(1), first,
				first.minusSeconds(1), Instant.ofEpochSecond(seconds / 2, 0), first.plusMillis(1), Instant.EPOCH,
				first }) {
			Notification notification = new Notification("m-1", "t", null, instant, null, "alice", 0, null);
			String body = new String(json.body(notification), StandardCharsets.UTF_8);
			assertThat(body).contains("\"createdAt\":\"" + instant + "\"");
		}
	}

}
