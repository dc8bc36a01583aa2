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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelaySequences}: the numbers of an origin's batches on a channel tell
 * how many of its messages did not come, and how many of those were not stored; a batch
 * that comes late fills its part of a gap, and what a gap still misses after the grace
 * period is lost.
 */
class RelaySequencesTests {

	private static final Duration GRACE = Duration.ofSeconds(10);

	private final AtomicLong clock = new AtomicLong();

	private final RelaySequences sequences = new RelaySequences(GRACE, this.clock::get);

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
		assertThat(this.sequences.received("node-a", "inbox-b", 2, new RelayBatches.Sequence(2, 2, 2, "e2")))
			.isEqualTo(RelaySequences.Lost.NONE);
		assertThat(this.sequences.received("node-a", "inbox-b", 1, new RelayBatches.Sequence(1, 5, 4, "e2")))
			.isEqualTo(new RelaySequences.Lost(2, 1));
		assertThat(overdueAfter(GRACE))
			.containsExactly(new RelaySequences.Overdue("node-a", "inbox-b", new RelaySequences.Lost(2, 1)));
	}

	@Test
	void whenOriginsAndChannelsDifferThenEachIsCountedOnItsOwn() {
		received("inbox-b", 1, 0, 1, 0);
		this.sequences.received("node-c", "inbox-b", 1, new RelayBatches.Sequence(0, 40, 0, "e1"));
		received("broadcast", 1, 0, 7, 0);

		assertThat(received("inbox-b", 1, 0, 2, 0)).isEqualTo(RelaySequences.Lost.NONE);
		assertThat(this.sequences.received("node-c", "inbox-b", 1, new RelayBatches.Sequence(0, 41, 0, "e1")))
			.isEqualTo(RelaySequences.Lost.NONE);
		assertThat(received("broadcast", 1, 0, 9, 0)).isEqualTo(new RelaySequences.Lost(1, 0));
	}

	private RelaySequences.Lost received(String channel, int count, int transientsHere, long relayed, long transients) {
		return this.sequences.received("node-a", channel, count,
				new RelayBatches.Sequence(transientsHere, relayed, transients, "e1"));
	}

	private List<RelaySequences.Overdue> overdueAfter(Duration elapsed) {
		this.clock.addAndGet(elapsed.toNanos());
		return this.sequences.overdue();
	}

}
