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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * What this node has received of each origin's numbered batches, channel by channel: to
 * tell how many relayed messages were lost on the way, and to hand the batches on in the
 * origin's order. Redis pub/sub delivers at most once, and a subscription connection that
 * Redis dropped (its output buffer over the limit, a reconnect) or that lost messages
 * without noticing leaves a jump in the numbers of the next batch that arrives.
 * <p>
 * A jump opens a gap. What a dropped connection had already received is still handed over
 * after the new connection's first batches, so a batch may come late and fill part of a
 * gap; what is still missing when the grace period has passed is lost. The first batch of
 * an origin's numbering (its epoch) sets where counting starts.
 * <p>
 * So that late batches do not reach users after newer ones, the batches that come after a
 * jump are held back while the gap may still fill: until it is filled, or until no late
 * batch has come for the hold time, or the held messages reach their limit. Batches are
 * handed on one at a time per origin and channel, under that numbering's lock.
 */
final class RelaySequences {

	// far more than a cluster has origins and channels at once; each start of a node
	// with a generated id is a new origin, so the quiet ones are let go
	private static final int MAX_SOURCES = 4096;

	private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();

	private final long graceNanos;

	private final long holdNanos;

	private final int maxHeldMessages;

	private final BiConsumer<String, RelayBatches.Batch> deliverer;

	private final LongSupplier nanoClock;

	private final Map<Source, Numbering> sources = new ConcurrentHashMap<>();

	/**
	 * Create a tracker.
	 * @param grace how long a gap waits for late batches before what is missing counts as
	 * lost
	 * @param hold how long the batches after a gap are held back after the last late
	 * batch (or the jump) while the gap is not filled
	 * @param maxHeldMessages how many messages of one origin and channel may be held back
	 * at most; more are handed on at once, with those held
	 * @param deliverer takes a batch to the sessions, with the channel it came on
	 */
	RelaySequences(Duration grace, Duration hold, int maxHeldMessages,
			BiConsumer<String, RelayBatches.Batch> deliverer) {
		this(grace, hold, maxHeldMessages, deliverer, System::nanoTime);
	}

	RelaySequences(Duration grace, Duration hold, int maxHeldMessages, BiConsumer<String, RelayBatches.Batch> deliverer,
			LongSupplier nanoClock) {
		this.graceNanos = grace.toNanos();
		this.holdNanos = hold.toNanos();
		this.maxHeldMessages = maxHeldMessages;
		this.deliverer = deliverer;
		this.nanoClock = nanoClock;
	}

	/**
	 * Take note of a numbered batch, and hand it on unless it waits behind a gap; a late
	 * batch is handed on at once, and may release the batches held behind its gap.
	 * @param channel the channel it came on
	 * @param batch the batch, with its origin and numbers
	 * @return the gap it opened (messages the origin relayed before it that have not
	 * come), {@link Lost#NONE} if none
	 */
	Lost received(String channel, RelayBatches.Batch batch) {
		Source source = new Source(batch.origin(), channel, batch.sequence().epoch());
		if (this.sources.size() >= MAX_SOURCES && !this.sources.containsKey(source)) {
			forgetQuiet(this.nanoClock.getAsLong(), 0);
		}
		Numbering numbering = this.sources.computeIfAbsent(source, (key) -> new Numbering(channel));
		return numbering.received(batch, this.nanoClock.getAsLong());
	}

	/**
	 * Hand on the held batches whose hold time has passed, and take the gaps whose grace
	 * period has passed: what they still miss is lost.
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
			numbering.releaseIfDue(now);
		});
		forgetQuiet(now, IDLE_NANOS);
		return overdue;
	}

	/**
	 * Hand on every held batch now, in order.
	 */
	void releaseAll() {
		this.sources.values().forEach(Numbering::releaseHeld);
	}

	// numberings without a gap or held batches that have seen nothing for the given time
	private void forgetQuiet(long now, long quietNanos) {
		this.sources.values().removeIf((numbering) -> numbering.isQuietSince(now - quietNanos));
	}

	private record Source(String origin, String channel, String epoch) {
	}

	/**
	 * The numbers of one origin's epoch on one channel: how far they went, the gaps still
	 * open, and the batches held back behind them.
	 */
	private final class Numbering {

		private final String channel;

		private boolean started;

		private long relayed;

		private long transients;

		private long lastSeen;

		private final List<Gap> gaps = new ArrayList<>(0);

		// batches after a jump, in the origin's order, while the gap may fill; null when
		// none are held
		private ArrayDeque<RelayBatches.Batch> held;

		private int heldMessages;

		// the held batches wait for the gaps from this number on
		private long heldAfter;

		// when the hold began, or a late batch last came
		private long lastProgress;

		Numbering(String channel) {
			this.channel = channel;
		}

		synchronized Lost received(RelayBatches.Batch batch, long now) {
			this.lastSeen = now;
			releaseIfDue(now);
			RelayBatches.Sequence sequence = batch.sequence();
			long relayedBefore = sequence.relayed() - batch.messages().size();
			long transientsBefore = sequence.transients() - sequence.transientsHere();
			if (this.started && relayedBefore < this.relayed) {
				// a late batch, older than what is held: the part of a gap it fills has
				// come after all
				boolean filled = fill(relayedBefore + 1, sequence.relayed(), transientsBefore + 1,
						sequence.transients());
				RelaySequences.this.deliverer.accept(this.channel, batch);
				if (this.held != null && filled) {
					this.lastProgress = now;
					if (!isWaiting()) {
						release();
					}
				}
				return Lost.NONE;
			}
			Lost opened = Lost.NONE;
			if (this.started && relayedBefore > this.relayed) {
				this.gaps.add(new Gap(this.relayed + 1, relayedBefore, this.transients + 1, transientsBefore, now));
				opened = new Lost(relayedBefore - this.relayed,
						Math.max(0, Math.min(relayedBefore - this.relayed, transientsBefore - this.transients)));
				if (this.held == null) {
					this.held = new ArrayDeque<>();
					this.heldAfter = this.relayed + 1;
					this.lastProgress = now;
				}
			}
			this.started = true;
			this.relayed = sequence.relayed();
			this.transients = sequence.transients();
			if (this.held == null) {
				RelaySequences.this.deliverer.accept(this.channel, batch);
			}
			else {
				this.held.add(batch);
				this.heldMessages += batch.messages().size();
				if (this.heldMessages > RelaySequences.this.maxHeldMessages) {
					release();
				}
			}
			return opened;
		}

		// whether the numbers were missing
		private boolean fill(long fromRelayed, long toRelayed, long fromTransient, long toTransient) {
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
					return true;
				}
			}
			// not missing: a duplicate, nothing to fill
			return false;
		}

		// whether a gap that the held batches wait for is still open
		private boolean isWaiting() {
			for (Gap gap : this.gaps) {
				if (gap.fromRelayed() >= this.heldAfter) {
					return true;
				}
			}
			return false;
		}

		synchronized void releaseIfDue(long now) {
			if (this.held != null && (now - this.lastProgress >= RelaySequences.this.holdNanos || !isWaiting())) {
				release();
			}
		}

		synchronized void releaseHeld() {
			if (this.held != null) {
				release();
			}
		}

		private void release() {
			ArrayDeque<RelayBatches.Batch> releasing = this.held;
			this.held = null;
			this.heldMessages = 0;
			for (RelayBatches.Batch batch : releasing) {
				RelaySequences.this.deliverer.accept(this.channel, batch);
			}
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
			return this.gaps.isEmpty() && this.held == null && this.lastSeen - since <= 0;
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
