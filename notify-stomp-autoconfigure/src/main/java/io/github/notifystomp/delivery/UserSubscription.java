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

package io.github.notifystomp.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One subscription of a session to the user destination: its ack mode, the messages
 * waiting for an ACK, and, while a replay runs, the live messages held back until the
 * replay is done.
 */
final class UserSubscription {

	private final String id;

	private final AckMode ackMode;

	// also bounds the live messages held back during a replay: both are messages in
	// flight for one subscription
	private final int maxUnacked;

	// ack token -> notification, in delivery order (a "client" ACK covers every earlier
	// one)
	private final LinkedHashMap<String, Notification> unacked = new LinkedHashMap<>();

	private ArrayDeque<Notification> heldBack;

	// stored messages up to this seq came from the replay; live copies of them are
	// duplicates
	private long replayedUpTo = -1;

	// the replay stopped at its limit: stored messages wait for the next SUBSCRIBE
	private boolean truncated;

	// more live messages came during the replay than could be held back
	private boolean overflowed;

	UserSubscription(String id, AckMode ackMode, boolean replaying, int maxUnacked) {
		this.id = id;
		this.ackMode = ackMode;
		this.maxUnacked = maxUnacked;
		this.heldBack = replaying ? new ArrayDeque<>() : null;
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
	 * End the replay: send the held-back messages that the replay did not cover, then
	 * admit live messages directly.
	 * @param replayedUpTo the last sequence number the replay sent (or the one it started
	 * after)
	 * @param truncated whether the replay stopped at its limit with more pending
	 * @return {@code false} if live messages had to be dropped during a replay that was
	 * not truncated, so the subscription has a gap and must not go on
	 */
	synchronized boolean endReplay(long replayedUpTo, boolean truncated, Consumer<Notification> sender) {
		this.replayedUpTo = replayedUpTo;
		this.truncated = truncated;
		ArrayDeque<Notification> held = this.heldBack;
		this.heldBack = null;
		if (this.overflowed && !truncated) {
			// a truncated replay is continued by the client from its last message, which
			// covers every stored message dropped here; otherwise there is a gap
			this.truncated = true;
			return false;
		}
		if (held != null) {
			for (Notification notification : held) {
				if (isWanted(notification)) {
					sender.accept(notification);
				}
			}
		}
		return true;
	}

	private boolean isWanted(Notification notification) {
		if (!notification.isStored()) {
			return true;
		}
		return !this.truncated && notification.seq() > this.replayedUpTo;
	}

	/**
	 * Remember a message sent in an acknowledging mode.
	 * @return the ack token given up to make room, or {@code null}
	 */
	synchronized String remember(String ackToken, Notification notification) {
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
		if (!this.unacked.containsKey(ackToken)) {
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
