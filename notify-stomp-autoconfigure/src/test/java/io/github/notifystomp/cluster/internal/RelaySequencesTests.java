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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelaySequences}: the numbers of an origin's batches on a channel tell
 * how many of its messages did not come, and how many of those were not stored; a batch
 * that comes late fills its part of a gap, and what a gap still misses after the grace
 * period is lost. The batches after a gap are held back while late ones may come, so that
 * each user's messages stay in order.
 */
class RelaySequencesTests {

	private static final Duration GRACE = Duration.ofSeconds(10);

	private static final Duration HOLD = Duration.ofSeconds(1);

	private static final int MAX_HELD = 5;

	private final AtomicLong clock = new AtomicLong();

	// the relay numbers of the messages handed on, in order
	private final List<Long> delivered = new ArrayList<>();

	private final RelaySequences sequences = new RelaySequences(GRACE, HOLD, MAX_HELD, this::deliver, this.clock::get);

	@Test
	void whenBatchesFollowOneAnotherThenNothingIsMissing() {
		assertThat(received("inbox-b", 3, 1, 3, 1)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("inbox-b", 2, 2, 5, 3)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("inbox-b", 1, 0, 6, 3)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(overdueAfter(GRACE)).isEmpty();
	}

	@Test
	void whenTheFirstBatchOfANumberingArrivesThenCountingStartsThere() {
		assertThat(received("inbox-b", 2, 1, 500, 200)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("inbox-b", 1, 1, 501, 201)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(overdueAfter(GRACE)).isEmpty();
	}

	@Test
	void whenTheNumbersJumpThenTheMessagesInBetweenAreLostOnceTheGracePeriodHasPassed() {
		received("inbox-b", 2, 1, 2, 1);

		// 10 relayed before this batch of 3, 5 of them have not come (2 transient)
		assertThat(received("inbox-b", 3, 1, 10, 4)).isEqualTo(new RelaySequences.Lost(5, 2));

		assertThat(overdueAfter(GRACE.minusMillis(1))).isEmpty();
		assertThat(overdueAfter(Duration.ofMillis(1)))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(5, 2)));
		assertThat(overdueAfter(GRACE)).isEmpty();
	}

	@Test
	void whenOnlyStoredMessagesDidNotComeThenNoneOfTheLostIsTransient() {
		received("inbox-b", 1, 1, 1, 1);

		assertThat(received("inbox-b", 1, 1, 5, 2)).isEqualTo(new RelaySequences.Lost(3, 0));
		assertThat(overdueAfter(GRACE))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(3, 0)));
	}

	@Test
	void whenBatchesComeLateThenTheyFillTheirPartOfTheGap() {
		received("inbox-b", 1, 1, 1, 1);
		// relayed 2 to 9 (transients 2 to 5) have not come yet
		assertThat(received("inbox-b", 1, 1, 10, 6)).isEqualTo(new RelaySequences.Lost(8, 4));

		// 2-3 (transients 2-3) and 7-8 (transient 5) come after all, 4-6 and 9 do not
		received("inbox-b", 2, 2, 3, 3);
		received("inbox-b", 2, 1, 8, 5);
		// a duplicate of what came fills nothing
		received("inbox-b", 2, 2, 3, 3);

		assertThat(overdueAfter(GRACE))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(4, 1)));
	}

	@Test
	void whenTheEpochChangesThenCountingStartsAgainWithoutALoss() {
		received("inbox-b", 1, 1, 900, 400);

		// node-a's numbering started again: its own counts, or Redis lost them
		assertThat(received("node-a", "inbox-b", 2, new RelayBatches.Sequence(2, 2, 2, "e2")))
			.isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("node-a", "inbox-b", 1, new RelayBatches.Sequence(1, 5, 4, "e2")))
			.isEqualTo(new RelaySequences.Lost(2, 1));
		assertThat(overdueAfter(GRACE))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(2, 1)));
	}

	@Test
	void whenOriginsAndChannelsDifferThenEachIsCountedOnItsOwn() {
		received("inbox-b", 1, 0, 1, 0);
		received("node-c", "inbox-b", 1, new RelayBatches.Sequence(0, 40, 0, "e1"));
		received("broadcast", 1, 0, 7, 0);

		assertThat(received("inbox-b", 1, 0, 2, 0)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("node-c", "inbox-b", 1, new RelayBatches.Sequence(0, 41, 0, "e1")))
			.isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("broadcast", 1, 0, 9, 0)).isEqualTo(new RelaySequences.Lost(1, 0));
	}

	@Test
	void whenAGapOpensThenTheBatchesAfterItWaitUntilTheLateOnesFillIt() {
		received("inbox-b", 2, 0, 2, 0);
		// 3 to 6 have not come: 7-8 and 9 wait for them
		received("inbox-b", 2, 0, 8, 0);
		received("inbox-b", 1, 0, 9, 0);
		assertThat(this.delivered).containsExactly(1L, 2L);

		// what the dropped connection had received comes late, in its order
		received("inbox-b", 2, 0, 4, 0);
		assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
		received("inbox-b", 2, 0, 6, 0);
		received("inbox-b", 1, 0, 10, 0);

		assertThat(this.delivered).containsExactlyElementsOf(numbers(1, 10));
		assertThat(overdueAfter(GRACE)).isEmpty();
	}

	@Test
	void whenNoLateBatchComesForTheHoldTimeThenTheHeldBatchesAreHandedOn() {
		received("inbox-b", 2, 0, 2, 0);
		received("inbox-b", 2, 0, 8, 0);
		assertThat(overdueAfter(HOLD.minusMillis(1))).isEmpty();
		// a late batch keeps the others waiting for the rest of the gap
		received("inbox-b", 1, 0, 3, 0);
		assertThat(overdueAfter(HOLD.minusMillis(1))).isEmpty();
		assertThat(this.delivered).containsExactly(1L, 2L, 3L);

		assertThat(overdueAfter(Duration.ofMillis(1))).isEmpty();
		assertThat(this.delivered).containsExactly(1L, 2L, 3L, 7L, 8L);
		// what comes later still reaches the users, late
		received("inbox-b", 1, 0, 4, 0);
		received("inbox-b", 1, 0, 9, 0);
		assertThat(this.delivered).containsExactly(1L, 2L, 3L, 7L, 8L, 4L, 9L);
		assertThat(overdueAfter(GRACE))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(2, 0)));
	}

	@Test
	void whenTheHoldTimeHasPassedThenTheNextBatchIsHandedOnAfterTheHeldOnes() {
		received("inbox-b", 1, 0, 1, 0);
		received("inbox-b", 1, 0, 3, 0);
		this.clock.addAndGet(HOLD.toNanos());

		received("inbox-b", 1, 0, 4, 0);

		assertThat(this.delivered).containsExactly(1L, 3L, 4L);
	}

	@Test
	void whenMoreMessagesThanTheLimitWaitThenTheyAreHandedOnAtOnce() {
		received("inbox-b", 1, 0, 1, 0);
		received("inbox-b", 3, 0, 5, 0);
		received("inbox-b", 2, 0, 7, 0);
		assertThat(this.delivered).containsExactly(1L);

		received("inbox-b", 1, 0, 8, 0);

		assertThat(this.delivered).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
		received("inbox-b", 1, 0, 9, 0);
		assertThat(this.delivered).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
	}

	@Test
	void whenAllAreReleasedThenTheHeldBatchesAreHandedOnAtOnce() {
		received("inbox-b", 1, 0, 1, 0);
		received("inbox-b", 2, 0, 5, 0);

		this.sequences.releaseAll();

		assertThat(this.delivered).containsExactly(1L, 4L, 5L);
		received("inbox-b", 1, 0, 6, 0);
		assertThat(this.delivered).containsExactly(1L, 4L, 5L, 6L);
	}

	@Test
	void whenAGapIsCountedAsLostThenNothingWaitsForItAnyMore() {
		received("inbox-b", 1, 0, 1, 0);
		// 2 to 30 have not come
		received("inbox-b", 1, 0, 31, 0);
		// late batches keep coming for the whole grace period, but not all of the gap
		for (int relayed = 2; relayed <= 21; relayed++) {
			this.clock.addAndGet(HOLD.toNanos() / 2);
			received("inbox-b", 1, 0, relayed, 0);
		}
		assertThat(this.delivered).containsExactlyElementsOf(numbers(1, 21));

		assertThat(overdueAfter(Duration.ZERO))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(9, 0)));
		assertThat(this.delivered).endsWith(21L, 31L);
	}

	private RelaySequences.Lost received(String channel, int count, int transientsHere, long relayed, long transients) {
		return received("node-a", channel, count, new RelayBatches.Sequence(transientsHere, relayed, transients, "e1"));
	}

	// a batch of the messages numbered from relayed - count + 1 to relayed
	private RelaySequences.Lost received(String origin, String channel, int count, RelayBatches.Sequence sequence) {
		List<String> messages = numbers(sequence.relayed() - count + 1, sequence.relayed()).stream()
			.map(String::valueOf)
			.toList();
		return this.sequences.received(channel, new RelayBatches.Batch(origin, messages, sequence));
	}

	private void deliver(String channel, RelayBatches.Batch batch) {
		if ("inbox-b".equals(channel) && "node-a".equals(batch.origin())) {
			batch.messages().forEach((message) -> this.delivered.add(Long.parseLong(message)));
		}
	}

	private static List<Long> numbers(long from, long to) {
		return LongStream.rangeClosed(from, to).boxed().toList();
	}

	private List<RelaySequences.Overdue> overdueAfter(Duration elapsed) {
		this.clock.addAndGet(elapsed.toNanos());
		return this.sequences.overdue();
	}

}
