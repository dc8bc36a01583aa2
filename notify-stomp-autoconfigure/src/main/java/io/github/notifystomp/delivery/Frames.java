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

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * Builds the frames the starter sends to one session.
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

	static SimpMessageHeaderAccessor messageHeaders(Notification notification) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
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

	static Message<byte[]> message(String sessionId, String subscriptionId, String destination,
			Notification notification, byte[] body, String ackToken, boolean replayMore, String gap) {
		return message(sessionId, subscriptionId, destination, notification, body, ackToken, replayMore, gap, null,
				false);
	}

	static Message<byte[]> message(String sessionId, String subscriptionId, String destination,
			Notification notification, byte[] body, String ackToken, boolean replayMore, String gap, String epoch,
			boolean reset) {
		SimpMessageHeaderAccessor accessor = messageHeaders(notification);
		accessor.setSessionId(sessionId);
		accessor.setSubscriptionId(subscriptionId);
		accessor.setDestination(destination);
		if (ackToken != null) {
			// STOMP 1.2 clients ACK with the "ack" header, 1.1 clients with "message-id"
			accessor.setNativeHeader("ack", ackToken);
			accessor.setNativeHeader("message-id", ackToken);
		}
		else {
			accessor.setNativeHeader("message-id", notification.id());
		}
		if (replayMore) {
			accessor.setNativeHeader(NOTIFY_REPLAY_MORE, "true");
		}
		if (gap != null) {
			accessor.setNativeHeader(NOTIFY_GAP, gap);
		}
		if (epoch != null) {
			accessor.setNativeHeader(NOTIFY_EPOCH, epoch);
		}
		if (reset) {
			accessor.setNativeHeader(NOTIFY_RESET, "true");
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

}
