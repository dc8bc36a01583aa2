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

/**
 * The batch format of relay messages: several messages, each as {@link RelayCodec} writes
 * it (and signed on its own when the cluster signs), after a header of four lines: the
 * version, {@code batch}, the origin and the number of messages; each message is preceded
 * by a line with its length in characters. Nodes that read version 2 but predate batches
 * drop a batch as an unknown kind; a batch of one is never written, the message goes
 * alone.
 */
final class RelayBatches {

	private static final String BATCH_START = RelayCodec.MAGIC + RelayCodec.VERSION + "\nbatch\n";

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
	 * Write a relay that carries messages in order: the message itself when there is one,
	 * else a batch.
	 * @param origin this node's id
	 * @param entries the messages, framed
	 * @return the relay message
	 */
	String write(String origin, List<Entry> entries) {
		if (entries.size() == 1) {
			return entries.get(0).message();
		}
		int length = 64;
		for (Entry entry : entries) {
			length += entry.framed().length();
		}
		StringBuilder out = new StringBuilder(length);
		out.append(header(origin)).append(entries.size()).append('\n');
		for (Entry entry : entries) {
			out.append(entry.framed());
		}
		return out.toString();
	}

	/**
	 * Whether a relay message is a batch; its messages are read with
	 * {@link #messages(String)}.
	 */
	static boolean isBatch(String text) {
		return text != null && text.startsWith(BATCH_START);
	}

	/**
	 * Split a batch into its messages, which are read and checked one by one with
	 * {@link RelayCodec#read(String)}.
	 * @param text the batch as received
	 * @return the messages in order
	 * @throws RelayCodec.RejectedRelayException if the batch is not well-formed
	 */
	List<String> messages(String text) {
		if (text.length() > this.maxLength) {
			throw new RelayCodec.RejectedRelayException("oversized", text.length() + " characters");
		}
		int start = BATCH_START.length();
		int end = text.indexOf('\n', start);
		if (end < 0 || !RelayCodec.NODE_ID.matcher(text.substring(start, end)).matches()) {
			throw new RelayCodec.RejectedRelayException("malformed", "bad batch origin");
		}
		start = end + 1;
		end = text.indexOf('\n', start);
		int count = (end < 0) ? -1 : lengthField(text.substring(start, end));
		if (count < 2 || count > MAX_BATCH_ENTRIES) {
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
		return messages;
	}

	// a non-negative decimal of at most 9 digits, else -1
	private static int lengthField(String field) {
		if (field.isEmpty() || field.length() > 9) {
			return -1;
		}
		for (int i = 0; i < field.length(); i++) {
			if (field.charAt(i) < '0' || field.charAt(i) > '9') {
				return -1;
			}
		}
		return Integer.parseInt(field);
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

}
