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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What this node has received of each origin's numbered batches, channel by channel, to
 * tell how many relayed messages were lost on the way: Redis pub/sub delivers at most
 * once, and a subscription connection that Redis dropped (its output buffer over the
 * limit, a reconnect) or that lost messages without noticing leaves a jump in the numbers
 * of the next batch that arrives.
 * <p>
 * A jump opens a gap. What a dropped connection had already received is still handed over
 * after the new connection's first batches, so a batch may come late and fill part of a
 * gap; what is still missing when the grace period has passed is lost. The first batch of
 * an origin's numbering (its epoch) sets where counting starts.
 */
final class RelaySequences {

	// far more than a cluster has origins and channels at once; each start of a node
	// with a generated id is a new origin, so the quiet ones are let go
	private static final int MAX_SOURCES = 4096;

	private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();

	private final long graceNanos;

	private final LongSupplier nanoClock;

	private final Map<Source, Numbering> sources = new ConcurrentHashMap<>();

	/**
	 * Create a tracker.
	 * @param grace how long a gap waits for late batches before what is missing counts as
	 * lost
	 */
	RelaySequences(Duration grace) {
		this(grace, System::nanoTime);
	}

	RelaySequences(Duration grace, LongSupplier nanoClock) {
		this.graceNanos = grace.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Take note of a numbered batch.
	 * @param origin the node that relayed it
	 * @param channel the channel it came on
	 * @param count how many messages it holds
	 * @param sequence its numbers
	 * @return the gap it opened (messages the origin relayed before it that have not
	 * come), {@link Lost#NONE} if none
	 */
	Lost received(String origin, String channel, int count, RelayBatches.Sequence sequence) {
		Source source = new Source(origin, channel, sequence.epoch());
		if (this.sources.size() >= MAX_SOURCES && !this.sources.containsKey(source)) {
			forgetQuiet(this.nanoClock.getAsLong(), 0);
		}
		Numbering numbering = this.sources.computeIfAbsent(source, (key) -> new Numbering());
		return numbering.received(count, sequence, this.nanoClock.getAsLong());
	}

	/**
	 * Take the gaps whose grace period has passed: what they still miss is lost.
	 * @return the losses, by origin and channel; empty if none
	 */
	List<Overdue> overdue() {
		long now = this.nanoClock.getAsLong();
		List<Overdue> overdue = new ArrayList<>(0);
		this.sources.forEach((source, numbering) -> {
			Lost lost = numbering.overdue(now - this.graceNanos);
			if (lost.any()) {
				overdue.add(new Overdue(source.origin(), source.channel(), lost));
			}
		});
		forgetQuiet(now, IDLE_NANOS);
		return overdue;
	}

	// numberings without a gap that have seen nothing for the given time
	private void forgetQuiet(long now, long quietNanos) {
		this.sources.values().removeIf((numbering) -> numbering.isQuietSince(now - quietNanos));
	}

	private record Source(String origin, String channel, String epoch) {
	}

	/**
	 * The numbers of one origin's epoch on one channel: how far they went, and the gaps
	 * still open.
	 */
	private static final class Numbering {

		private boolean started;

		private long relayed;

		private long transients;

		private long lastSeen;

		private final List<Gap> gaps = new ArrayList<>(0);

		synchronized Lost received(int count, RelayBatches.Sequence sequence, long now) {
			this.lastSeen = now;
			long relayedBefore = sequence.relayed() - count;
			long transientsBefore = sequence.transients() - sequence.transientsHere();
			if (!this.started || relayedBefore >= this.relayed) {
				Lost opened = Lost.NONE;
				if (this.started && relayedBefore > this.relayed) {
					this.gaps.add(new Gap(this.relayed + 1, relayedBefore, this.transients + 1, transientsBefore, now));
					opened = new Lost(relayedBefore - this.relayed,
							Math.max(0, Math.min(relayedBefore - this.relayed, transientsBefore - this.transients)));
				}
				this.started = true;
				this.relayed = sequence.relayed();
				this.transients = sequence.transients();
				return opened;
			}
			// a late batch: the part of a gap it fills has come after all
			fill(relayedBefore + 1, sequence.relayed(), transientsBefore + 1, sequence.transients());
			return Lost.NONE;
		}

		private void fill(long fromRelayed, long toRelayed, long fromTransient, long toTransient) {
			for (int i = 0; i < this.gaps.size(); i++) {
				Gap gap = this.gaps.get(i);
				if (fromRelayed >= gap.fromRelayed() && toRelayed <= gap.toRelayed()) {
					this.gaps.remove(i);
					if (toRelayed < gap.toRelayed()) {
						this.gaps.add(i, new Gap(toRelayed + 1, gap.toRelayed(), toTransient + 1, gap.toTransient(),
								gap.openedAt()));
					}
					if (fromRelayed > gap.fromRelayed()) {
						this.gaps.add(i, new Gap(gap.fromRelayed(), fromRelayed - 1, gap.fromTransient(),
								fromTransient - 1, gap.openedAt()));
					}
					return;
				}
			}
			// not missing: a duplicate, nothing to fill
		}

		synchronized Lost overdue(long openedBefore) {
			long relayedLost = 0;
			long transientsLost = 0;
			for (Iterator<Gap> iterator = this.gaps.iterator(); iterator.hasNext();) {
				Gap gap = iterator.next();
				if (gap.openedAt() - openedBefore <= 0) {
					relayedLost += gap.toRelayed() - gap.fromRelayed() + 1;
					transientsLost += Math.max(0, gap.toTransient() - gap.fromTransient() + 1);
					iterator.remove();
				}
			}
			return (relayedLost > 0) ? new Lost(relayedLost, Math.min(relayedLost, transientsLost)) : Lost.NONE;
		}

		synchronized boolean isQuietSince(long since) {
			return this.gaps.isEmpty() && this.lastSeen - since <= 0;
		}

	}

	/**
	 * Messages an origin relayed that have not come: numbers of all of them, and of those
	 * not stored, both from and to inclusive.
	 */
	private record Gap(long fromRelayed, long toRelayed, long fromTransient, long toTransient, long openedAt) {
	}

	/**
	 * Messages lost on the way.
	 *
	 * @param relayed how many
	 * @param transients how many of them were not stored: no catch-up brings those back
	 */
	record Lost(long relayed, long transients) {

		static final Lost NONE = new Lost(0, 0);

		boolean any() {
			return this.relayed > 0;
		}

	}

	/**
	 * What a gap whose grace period passed still missed.
	 *
	 * @param origin the node that relayed the messages
	 * @param channel the channel they were relayed on
	 * @param lost how many were lost
	 */
	record Overdue(String origin, String channel, Lost lost) {
	}

}
