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

import io.github.notifystomp.delivery.Notification;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * Builds the frames the starter sends to one session.
 * <p>
 * Their headers are STOMP headers already: Spring's STOMP handler encodes a message with
 * a {@link StompHeaderAccessor} as it is, where it would copy any other into a new one
 * first, once per message and session.
 */
final class Frames {

	static final String NOTIFY_ID = "notify-id";

	static final String NOTIFY_TYPE = "notify-type";

	static final String NOTIFY_SEQ = "notify-seq";

	static final String NOTIFY_REDELIVERED = "notify-redelivered";

	static final String NOTIFY_REPLAY_MORE = "notify-replay-more";

	static final String NOTIFY_GAP = "notify-gap";

	static final String NOTIFY_EPOCH = "notify-epoch";

	static final String NOTIFY_RESET = "notify-reset";

	/**
	 * The type of the message that tells a client its position is not one of the store's
	 * current epoch.
	 */
	static final String RESET_TYPE = "notify.reset";

	private Frames() {
	}

	static StompHeaderAccessor messageHeaders(Notification notification) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.MESSAGE);
		accessor.setContentType(MimeTypeUtils.APPLICATION_JSON);
		accessor.setNativeHeader(NOTIFY_ID, notification.id());
		accessor.setNativeHeader(NOTIFY_TYPE, notification.type());
		if (notification.seq() != null) {
			accessor.setNativeHeader(NOTIFY_SEQ, Long.toString(notification.seq()));
		}
		if (notification.attempt() > 0) {
			accessor.setNativeHeader(NOTIFY_REDELIVERED, "true");
		}
		return accessor;
	}

	/**
	 * Build the headers a broadcast has in common for every session, once.
	 * @param notification the broadcast
	 * @param destination the broadcast destination
	 * @param body its JSON body
	 * @return a message to hand to {@link #forSession}, never to a session itself
	 */
	static Message<byte[]> broadcast(Notification notification, String destination, byte[] body) {
		StompHeaderAccessor accessor = messageHeaders(notification);
		accessor.setDestination(destination);
		accessor.setNativeHeader("message-id", notification.id());
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	/**
	 * A copy of a broadcast for one session: a copy of the common headers with the
	 * session's own two, instead of every header set again.
	 * @param broadcast what {@link #broadcast} returned
	 * @param sessionId the session
	 * @param subscriptionId its subscription to the broadcast destination
	 * @return a mutable message for the session
	 */
	static Message<byte[]> forSession(Message<byte[]> broadcast, String sessionId, String subscriptionId) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(broadcast);
		accessor.setSessionId(sessionId);
		accessor.setSubscriptionId(subscriptionId);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(broadcast.getPayload(), accessor.getMessageHeaders());
	}

	static Message<byte[]> message(Address address, Notification notification, byte[] body, Marks marks) {
		StompHeaderAccessor accessor = messageHeaders(notification);
		accessor.setSessionId(address.sessionId());
		accessor.setSubscriptionId(address.subscriptionId());
		accessor.setDestination(address.destination());
		String ackToken = marks.ackToken();
		if (ackToken != null) {
			// STOMP 1.2 clients ACK with the "ack" header, 1.1 clients with "message-id"
			accessor.setNativeHeader("ack", ackToken);
			accessor.setNativeHeader("message-id", ackToken);
		}
		else {
			accessor.setNativeHeader("message-id", notification.id());
		}
		if (marks.replayed().more()) {
			accessor.setNativeHeader(NOTIFY_REPLAY_MORE, "true");
		}
		if (marks.replayed().gap() != null) {
			accessor.setNativeHeader(NOTIFY_GAP, marks.replayed().gap());
		}
		if (marks.epoch() != null) {
			accessor.setNativeHeader(NOTIFY_EPOCH, marks.epoch());
		}
		if (marks.reset()) {
			accessor.setNativeHeader(NOTIFY_RESET, "true");
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	/**
	 * Where a MESSAGE goes.
	 *
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription
	 * @param destination the subscribed destination
	 */
	record Address(String sessionId, String subscriptionId, String destination) {
	}

	/**
	 * What a MESSAGE carries besides the notification.
	 *
	 * @param ackToken the token the client acknowledges it with, or {@code null} when no
	 * ACK is expected
	 * @param replayed what a replay tells the client
	 * @param epoch the store epoch of a stored message, or {@code null}
	 * @param reset whether it tells the client its position was reset
	 */
	record Marks(String ackToken, Replayed replayed, String epoch, boolean reset) {

		/**
		 * Nothing besides the notification.
		 */
		static final Marks NONE = new Marks(null, Replayed.LIVE, null, false);

		static Marks of(String ackToken, Replayed replayed, String epoch) {
			return new Marks(ackToken, replayed, epoch, false);
		}

		static Marks reset(String epoch) {
			return new Marks(null, Replayed.LIVE, epoch, true);
		}

	}

	/**
	 * What a replayed MESSAGE tells the client besides the message.
	 *
	 * @param more whether the page ends here and more waits ({@code notify-replay-more})
	 * @param gap the seqs the client will never get before this one, or {@code null}
	 */
	record Replayed(boolean more, String gap) {

		/**
		 * A live message, or a replayed one with nothing to tell.
		 */
		static final Replayed LIVE = new Replayed(false, null);

	}

}
