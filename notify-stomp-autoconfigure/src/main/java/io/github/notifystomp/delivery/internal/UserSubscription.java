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

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.github.notifystomp.delivery.Notification;

/**
 * One subscription of a session to the user destination: its ack mode, the messages
 * waiting for an ACK, and, while a replay runs, the live messages held back until the
 * replay is done.
 * <p>
 * It also keeps its position: the sequence number up to which every stored message
 * reached the session without a gap. After this node may have missed relays (its link to
 * Redis dropped, another node died between commit and relay), a catch-up replays the
 * stored messages after the position, with the same hold-back as a replay.
 */
final class UserSubscription {

	/**
	 * What {@link #nextHeld()} returns when the subscription has a gap.
	 */
	static final Notification GAP = new Notification("", "", null, Instant.EPOCH, null, null, 0, null);

	private final String id;

	private final AckMode ackMode;

	// also bounds the live messages held back during a replay: both are messages in
	// flight for one subscription
	private final int maxUnacked;

	// ack token -> notification, in delivery order
	// (a "client" ACK covers every earlier one); created by the first message
	// remembered, as most subscriptions never acknowledge
	private LinkedHashMap<String, Notification> unacked;

	private ArrayDeque<Notification> heldBack;

	// stored messages up to this seq came from the
	// replay; live copies of them are duplicates
	private long replayedUpTo = -1;

	// the replay stopped at its limit: stored messages wait for the next SUBSCRIBE
	private boolean truncated;

	// more live messages came during the replay than could be held back
	private boolean overflowed;

	// live messages dropped that way and not yet reported
	private int overflowDrops;

	// whether the client can take a catch-up: it acknowledges, or asked for a replay, so
	// it knows its sequence numbers
	private final boolean catchesUp;

	// every stored message up to this seq reached the session; -1 while unknown (no
	// notify-since and no stored message yet)
	private long position = -1;

	// seqs above the position that reached the session, past a gap; created by the
	// first stored message sent, as an idle session has none
	private TreeSet<Long> ahead;

	/**
	 * Create a subscription.
	 * @param since the notify-since of the SUBSCRIBE (a replay starts), or {@code null}
	 */
	UserSubscription(String id, AckMode ackMode, Long since, int maxUnacked) {
		this.id = id;
		this.ackMode = ackMode;
		this.maxUnacked = maxUnacked;
		this.heldBack = (since != null) ? new ArrayDeque<>() : null;
		this.catchesUp = since != null || ackMode != AckMode.AUTO;
		if (since != null) {
			this.position = since;
		}
	}

	String id() {
		return this.id;
	}

	AckMode ackMode() {
		return this.ackMode;
	}

	/**
	 * Offer a live message: send it now, hold it back while a replay runs, or drop it
	 * when it must not reach this subscription. Sending under the lock keeps live
	 * messages behind the held-back ones.
	 * @return {@code true} if the message was sent or held back
	 */
	synchronized boolean offer(Notification notification, Consumer<Notification> sender) {
		if (notification.attempt() > 0 && this.ackMode == AckMode.AUTO) {
			return false;
		}
		if (this.heldBack != null) {
			if (this.heldBack.size() >= this.maxUnacked) {
				// dropping one silently would leave a gap the client cannot see: the
				// subscription is given up when the replay ends
				this.overflowed = true;
				this.overflowDrops++;
				return false;
			}
			this.heldBack.add(notification);
			return true;
		}
		if (!isWanted(notification)) {
			return false;
		}
		sender.accept(notification);
		return true;
	}

	/**
	 * Take the number of live messages dropped since the last call because more came
	 * during a replay than could be held back.
	 * @return the count
	 */
	synchronized int takeOverflowDrops() {
		int drops = this.overflowDrops;
		this.overflowDrops = 0;
		return drops;
	}

	/**
	 * End the replay's reading: from here on the held-back messages that the replay did
	 * not cover are taken with {@link #nextHeld()}, one at a time, and live messages that
	 * come meanwhile are held back behind them, so the order stays; once none is left,
	 * live messages are admitted directly.
	 * @param replayedUpTo the last sequence number the replay sent (or the one it started
	 * after)
	 * @param truncated whether the replay stopped at its limit with more pending, for the
	 * client to continue
	 */
	synchronized void endReplay(long replayedUpTo, boolean truncated) {
		this.replayedUpTo = replayedUpTo;
		this.truncated = truncated;
		// the replay sent every stored message up to there: a seq it did not find was
		// deleted (retention), and must not hold the position back
		if (this.position >= 0 && replayedUpTo > this.position) {
			this.position = replayedUpTo;
			if (this.ahead != null) {
				this.ahead.headSet(replayedUpTo, true).clear();
			}
			advance();
		}
	}

	/**
	 * Take the next held-back message to send after {@link #endReplay}.
	 * @return the message; {@code null} when none is left (live messages now go out
	 * directly); {@link #GAP} if live messages had to be dropped during a replay that was
	 * not truncated, so the subscription has a gap and must not go on
	 */
	synchronized Notification nextHeld() {
		while (true) {
			if (this.overflowed && !this.truncated) {
				// a truncated replay is continued by the client from its last
				// message, which covers every stored message dropped here;
				// otherwise there is a gap
				this.truncated = true;
				this.heldBack = null;
				return GAP;
			}
			Notification next = (this.heldBack != null) ? this.heldBack.poll() : null;
			if (next == null) {
				this.heldBack = null;
				return null;
			}
			if (isWanted(next)) {
				return next;
			}
		}
	}

	private boolean isWanted(Notification notification) {
		if (!notification.isStored() || notification.attempt() > 0) {
			// a redelivery is a deliberate second copy of a message the client has not
			// acknowledged, even if a replay sent it since
			return true;
		}
		return !this.truncated && notification.seq() > this.replayedUpTo;
	}

	/**
	 * Start the replay again from another position, because the client's was not one of
	 * the store's current epoch.
	 * @param since the position to replay after
	 */
	synchronized void restart(long since) {
		this.position = since;
		this.ahead = null;
	}

	/**
	 * Start a catch-up: hold back live messages, as during a replay.
	 * @return the position to replay after, or {@code -1} if this subscription takes no
	 * catch-up now (it cannot, it is replaying, or its client was told to subscribe
	 * again)
	 */
	synchronized long beginCatchUp() {
		if (!this.catchesUp || this.position < 0 || this.heldBack != null || this.truncated) {
			return -1;
		}
		this.heldBack = new ArrayDeque<>();
		this.overflowed = false;
		return this.position;
	}

	/**
	 * Record that a stored message reached the session.
	 * @param seq its sequence number
	 */
	synchronized void sent(long seq) {
		if (this.position < 0) {
			// an acknowledging subscription without
			// notify-since starts at its first stored message
			this.position = seq - 1;
		}
		if (seq <= this.position) {
			return;
		}
		if (this.ahead == null) {
			this.ahead = new TreeSet<>();
		}
		this.ahead.add(seq);
		advance();
		if (this.ahead.size() > this.maxUnacked) {
			// a catch-up sends these again: a few duplicates rather than unbounded state
			this.ahead.clear();
		}
	}

	// the position moves over what came past it, as far as there is no gap
	private void advance() {
		while (this.ahead != null && !this.ahead.isEmpty() && this.ahead.first() == this.position + 1) {
			this.position = this.ahead.pollFirst();
		}
	}

	/**
	 * Whether a stored message already reached the session.
	 * @param seq its sequence number
	 * @return {@code true} if it did
	 */
	synchronized boolean hasSent(long seq) {
		return (this.position >= 0 && seq <= this.position) || (this.ahead != null && this.ahead.contains(seq));
	}

	/**
	 * Remember a message sent in an acknowledging mode.
	 * @return the ack token given up to make room, or {@code null}
	 */
	synchronized String remember(String ackToken, Notification notification) {
		if (this.unacked == null) {
			this.unacked = new LinkedHashMap<>();
		}
		this.unacked.put(ackToken, notification);
		if (this.unacked.size() > this.maxUnacked) {
			Iterator<String> oldest = this.unacked.keySet().iterator();
			String dropped = oldest.next();
			oldest.remove();
			return dropped;
		}
		return null;
	}

	/**
	 * Take the messages an ACK or NACK with this token covers.
	 * @return the messages, empty if the token is not one of this subscription's
	 */
	synchronized List<Notification> take(String ackToken) {
		if (this.unacked == null || !this.unacked.containsKey(ackToken)) {
			return List.of();
		}
		if (this.ackMode != AckMode.CLIENT) {
			return List.of(this.unacked.remove(ackToken));
		}
		List<Notification> covered = new ArrayList<>();
		Iterator<Map.Entry<String, Notification>> entries = this.unacked.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, Notification> entry = entries.next();
			covered.add(entry.getValue());
			entries.remove();
			if (entry.getKey().equals(ackToken)) {
				break;
			}
		}
		return covered;
	}

}
