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

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The batch format of relay messages: several messages, each as {@link RelayCodec} writes
 * it (and signed on its own when the cluster signs), after a header of four lines: the
 * version, {@code batch}, the origin and the count line; each message is preceded by a
 * line with its length in characters.
 * <p>
 * The count line of a user-message batch also numbers what its origin relayed on the
 * channel: {@code <count> <not stored> <relayed> <relayed not stored> <epoch>}: how many
 * of this batch's messages were not stored, how many user messages the origin has relayed
 * on that channel up to and including this batch, how many of those were not stored, and
 * the token of the numbering, which changes when the origin's counts start again. A
 * receiver that sees the numbers jump knows how many messages were lost on the way (Redis
 * pub/sub is at most once), and how many of them no catch-up brings back
 * ({@link RelaySequences}). A numbered batch may hold one message; an unnumbered one (the
 * count alone) holds at least two. Nodes that read version 2 but predate batches drop a
 * batch as an unknown kind.
 */
final class RelayBatches {

	private static final String BATCH_START = RelayCodec.MAGIC + RelayCodec.VERSION + "\nbatch\n";

	private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	// more than any node writes (a batch is bounded by the relay length too)
	private static final int MAX_BATCH_ENTRIES = 100_000;

	private final int maxLength;

	/**
	 * Create a batch codec.
	 * @param maxLength the longest relay message read, in characters
	 */
	RelayBatches(int maxLength) {
		this.maxLength = maxLength;
	}

	/**
	 * Frame a message for a batch: its length, a line break, the message.
	 * @param message a message as written by {@link RelayCodec}, signed if the cluster
	 * signs
	 * @return the entry
	 */
	Entry entry(String message) {
		String length = Integer.toString(message.length());
		return new Entry(length + "\n" + message, length.length() + 1);
	}

	/**
	 * The start of every batch this node writes, the number of messages still to follow.
	 * @param origin this node's id
	 * @return the header without the count line
	 */
	String header(String origin) {
		return BATCH_START + origin + "\n";
	}

	/**
	 * Write a relay that carries messages in order, without numbers: the message itself
	 * when there is one, else a batch.
	 * @param origin this node's id
	 * @param entries the messages, framed
	 * @return the relay message
	 */
	String write(String origin, List<Entry> entries) {
		if (entries.size() == 1) {
			return entries.get(0).message();
		}
		return write(origin, entries, null);
	}

	/**
	 * Write a numbered batch: the messages in order, and what the origin has relayed on
	 * the channel so far, this batch included.
	 * @param origin this node's id
	 * @param entries the messages, framed
	 * @param sequence what the origin has relayed on the channel, or {@code null} for a
	 * batch of several messages without numbers
	 * @return the relay message
	 */
	String write(String origin, List<Entry> entries, Sequence sequence) {
		int length = 96;
		for (Entry entry : entries) {
			length += entry.framed().length();
		}
		StringBuilder out = new StringBuilder(length);
		out.append(header(origin)).append(entries.size());
		if (sequence != null) {
			out.append(' ').append(sequence.transientsHere());
			out.append(' ').append(sequence.relayed()).append(' ').append(sequence.transients());
			out.append(' ').append(sequence.epoch());
		}
		out.append('\n');
		for (Entry entry : entries) {
			out.append(entry.framed());
		}
		return out.toString();
	}

	/**
	 * Whether a relay message is a batch; its messages are read with
	 * {@link #read(String)}.
	 */
	static boolean isBatch(String text) {
		return text != null && text.startsWith(BATCH_START);
	}

	/**
	 * Split a batch into its messages, which are read and checked one by one with
	 * {@link RelayCodec#read(String)}.
	 * @param text the batch as received
	 * @return the origin, the messages in order, and their numbers if the batch has them
	 * @throws RelayCodec.RejectedRelayException if the batch is not well-formed
	 */
	Batch read(String text) {
		if (text.length() > this.maxLength) {
			throw new RelayCodec.RejectedRelayException("oversized", text.length() + " characters");
		}
		int start = BATCH_START.length();
		int end = text.indexOf('\n', start);
		String origin = (end < 0) ? "" : text.substring(start, end);
		if (!RelayCodec.NODE_ID.matcher(origin).matches()) {
			throw new RelayCodec.RejectedRelayException("malformed", "bad batch origin");
		}
		start = end + 1;
		end = text.indexOf('\n', start);
		String[] countLine = (end < 0) ? new String[0] : text.substring(start, end).split(" ", -1);
		int count = (countLine.length == 1 || countLine.length == 5) ? lengthField(countLine[0]) : -1;
		Sequence sequence = (countLine.length == 5) ? sequence(count, countLine) : null;
		if (countLine.length == 5 && sequence == null) {
			throw new RelayCodec.RejectedRelayException("malformed", "bad batch numbers");
		}
		if (count < ((sequence != null) ? 1 : 2) || count > MAX_BATCH_ENTRIES) {
			throw new RelayCodec.RejectedRelayException("malformed", "bad batch count");
		}
		List<String> messages = new ArrayList<>(count);
		start = end + 1;
		for (int i = 0; i < count; i++) {
			end = text.indexOf('\n', start);
			int length = (end < 0) ? -1 : lengthField(text.substring(start, end));
			if (length < 1 || end + 1 + length > text.length()) {
				throw new RelayCodec.RejectedRelayException("malformed", "bad batch entry length");
			}
			String message = text.substring(end + 1, end + 1 + length);
			if (isBatch(message)) {
				throw new RelayCodec.RejectedRelayException("malformed", "batch inside a batch");
			}
			messages.add(message);
			start = end + 1 + length;
		}
		if (start != text.length()) {
			throw new RelayCodec.RejectedRelayException("malformed", "text after the last batch entry");
		}
		return new Batch(origin, messages, sequence);
	}

	// the numbers after the count, each within what the one before allows, or null
	private static Sequence sequence(int count, String[] countLine) {
		int here = lengthField(countLine[1]);
		long relayed = numberField(countLine[2]);
		long transients = numberField(countLine[3]);
		boolean valid = here >= 0 && here <= count && relayed >= count && transients >= here && transients <= relayed
				&& relayed - count >= transients - here && EPOCH.matcher(countLine[4]).matches();
		return valid ? new Sequence(here, relayed, transients, countLine[4]) : null;
	}

	// a non-negative decimal of at most 18 digits, else -1
	private static long numberField(String field) {
		return decimal(field, 18);
	}

	// a non-negative decimal of at most 9 digits, else -1
	private static int lengthField(String field) {
		return (int) decimal(field, 9);
	}

	private static long decimal(String field, int maxDigits) {
		if (field.isEmpty() || field.length() > maxDigits) {
			return -1;
		}
		for (int i = 0; i < field.length(); i++) {
			if (field.charAt(i) < '0' || field.charAt(i) > '9') {
				return -1;
			}
		}
		return Long.parseLong(field);
	}

	/**
	 * A message framed for a batch.
	 *
	 * @param framed the length line and the message
	 * @param messageStart where the message starts in it
	 */
	record Entry(String framed, int messageStart) {

		String message() {
			return this.framed.substring(this.messageStart);
		}

	}

	/**
	 * A batch as read.
	 *
	 * @param origin the node that wrote it, as the header says (each message names its
	 * origin too, and is checked on its own)
	 * @param messages the messages, in order
	 * @param sequence what the origin has relayed on the channel, this batch included, or
	 * {@code null} for a batch without numbers
	 */
	record Batch(String origin, List<String> messages, Sequence sequence) {

	}

	/**
	 * The numbers of a batch of user messages.
	 *
	 * @param transientsHere how many of the batch's messages were not stored
	 * @param relayed how many user messages the origin has relayed on the channel, up to
	 * and including this batch
	 * @param transients how many of those were not stored
	 * @param epoch the token of the numbering: letters, digits, {@code -} and {@code _},
	 * at most 64
	 */
	record Sequence(int transientsHere, long relayed, long transients, String epoch) {

	}

}
