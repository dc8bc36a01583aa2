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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MimeTypeUtils;

import io.github.notifystomp.delivery.Notification;

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

	private static final String APPLICATION_JSON = MimeTypeUtils.APPLICATION_JSON_VALUE;

	private Frames() {
	}

	// the headers every MESSAGE of a notification starts with, in the order Spring's
	// setters put them, so frames read as they always did
	private static LinkedMultiValueMap<String, String> notificationHeaders(Notification notification) {
		LinkedMultiValueMap<String, String> nativeHeaders = new LinkedMultiValueMap<>(12);
		nativeHeaders.add(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER, APPLICATION_JSON);
		nativeHeaders.add(NOTIFY_ID, notification.id());
		nativeHeaders.add(NOTIFY_TYPE, notification.type());
		if (notification.seq() != null) {
			nativeHeaders.add(NOTIFY_SEQ, Long.toString(notification.seq()));
		}
		if (notification.attempt() > 0) {
			nativeHeaders.add(NOTIFY_REDELIVERED, "true");
		}
		return nativeHeaders;
	}

	/**
	 * Build the headers a broadcast has in common for every session, once.
	 * @param notification the broadcast
	 * @param destination the broadcast destination
	 * @param body its JSON body
	 * @return what {@link #forSession} makes each session's message of
	 */
	static Broadcast broadcast(Notification notification, String destination, byte[] body) {
		LinkedMultiValueMap<String, String> common = notificationHeaders(notification);
		common.add(StompHeaderAccessor.STOMP_DESTINATION_HEADER, destination);
		common.add(StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER, notification.id());
		Map<String, List<String>> nativeHeaders = new LinkedHashMap<>();
		common.forEach((name, values) -> nativeHeaders.put(name, List.copyOf(values)));
		return new Broadcast(destination, Collections.unmodifiableMap(nativeHeaders), body);
	}

	/**
	 * The message of a broadcast for one session: the broadcast's native headers, shared
	 * (a copy of Spring's would share their values too), with the session's subscription,
	 * and the few headers Spring reads set directly. Wrapping a common message instead
	 * copied every header and parsed them again, once per session: a fifth of a
	 * broadcasting node's CPU.
	 * @param broadcast what {@link #broadcast} returned
	 * @param sessionId the session
	 * @param subscriptionId its subscription to the broadcast destination
	 * @return a mutable message for the session
	 */
	static Message<byte[]> forSession(Broadcast broadcast, String sessionId, String subscriptionId) {
		LinkedMultiValueMap<String, String> nativeHeaders = new LinkedMultiValueMap<>(
				broadcast.nativeHeaders().size() + 1);
		nativeHeaders.putAll(broadcast.nativeHeaders());
		nativeHeaders.put(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER, List.of(subscriptionId));
		return message(broadcast.destination(), sessionId, subscriptionId, nativeHeaders, broadcast.body());
	}

	static Message<byte[]> message(Address address, Notification notification, byte[] body, Marks marks) {
		LinkedMultiValueMap<String, String> nativeHeaders = notificationHeaders(notification);
		nativeHeaders.add(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER, address.subscriptionId());
		nativeHeaders.add(StompHeaderAccessor.STOMP_DESTINATION_HEADER, address.destination());
		String ackToken = marks.ackToken();
		if (ackToken != null) {
			// STOMP 1.2 clients ACK with the "ack" header, 1.1 clients with "message-id"
			nativeHeaders.add(StompHeaderAccessor.STOMP_ACK_HEADER, ackToken);
			nativeHeaders.add(StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER, ackToken);
		}
		else {
			nativeHeaders.add(StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER, notification.id());
		}
		if (marks.replayed().more()) {
			nativeHeaders.add(NOTIFY_REPLAY_MORE, "true");
		}
		if (marks.replayed().gap() != null) {
			nativeHeaders.add(NOTIFY_GAP, marks.replayed().gap());
		}
		if (marks.epoch() != null) {
			nativeHeaders.add(NOTIFY_EPOCH, marks.epoch());
		}
		if (marks.reset()) {
			nativeHeaders.add(NOTIFY_RESET, "true");
		}
		return message(address.destination(), address.sessionId(), address.subscriptionId(), nativeHeaders, body);
	}

	// a MESSAGE with its native headers as given and the headers Spring reads besides
	// them set directly: what StompHeaderAccessor's setters would make, without each
	// setter's look-ups and list copies
	private static Message<byte[]> message(String destination, String sessionId, String subscriptionId,
			LinkedMultiValueMap<String, String> nativeHeaders, byte[] body) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.MESSAGE);
		accessor.setHeader(NativeMessageHeaderAccessor.NATIVE_HEADERS, nativeHeaders);
		accessor.setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON);
		accessor.setHeader(SimpMessageHeaderAccessor.DESTINATION_HEADER, destination);
		accessor.setHeader(SimpMessageHeaderAccessor.SESSION_ID_HEADER, sessionId);
		accessor.setHeader(SimpMessageHeaderAccessor.SUBSCRIPTION_ID_HEADER, subscriptionId);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	/**
	 * What every session's message of one broadcast shares.
	 *
	 * @param destination the broadcast destination
	 * @param nativeHeaders the STOMP headers but the subscription, unmodifiable
	 * @param body the JSON body
	 */
	record Broadcast(String destination, Map<String, List<String>> nativeHeaders, byte[] body) {
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
