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

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.github.notifystomp.delivery.Notification;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MESSAGE frames the starter builds, encoded as Spring's STOMP handler encodes them:
 * the exact text on the wire, and the headers Spring reads to route them.
 */
class FramesTests {

	private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

	@Test
	void whenAUserMessageIsBuiltThenItsFrameHasTheContractHeadersInSpringsOrder() {
		Notification notification = new Notification("n-1", "order.shipped", "{}", Instant.EPOCH, 7L, "alice", 1, null);
		Message<byte[]> message = Frames.message(new Frames.Address("s-1", "sub-0", "/user/queue/notify"), notification,
				BODY, Frames.Marks.of("tok", new Frames.Replayed(true, "3-4"), "ep"));

		assertThat(encode(message)).isEqualTo("MESSAGE\ncontent-type:application/json\nnotify-id:n-1\n"
				+ "notify-type:order.shipped\nnotify-seq:7\nnotify-redelivered:true\nsubscription:sub-0\n"
				+ "destination:/user/queue/notify\nack:tok\nmessage-id:tok\nnotify-replay-more:true\n"
				+ "notify-gap:3-4\nnotify-epoch:ep\ncontent-length:7\n\n{\"a\":1}\0");
		assertRoutable(message, "s-1", "sub-0", "/user/queue/notify");
	}

	@Test
	void whenALiveUserMessageIsBuiltThenItsMessageIdIsTheNotificationId() {
		Notification notification = new Notification("n-2", "t", null, Instant.EPOCH, null, "alice", 0, null);
		Message<byte[]> message = Frames.message(new Frames.Address("s-1", "sub-0", "/user/queue/notify"), notification,
				BODY, Frames.Marks.NONE);

		assertThat(encode(message)).isEqualTo("MESSAGE\ncontent-type:application/json\nnotify-id:n-2\nnotify-type:t\n"
				+ "subscription:sub-0\ndestination:/user/queue/notify\nmessage-id:n-2\ncontent-length:7\n\n"
				+ "{\"a\":1}\0");
	}

	@Test
	void whenABroadcastGoesToSeveralSessionsThenEachFrameHasItsOwnSubscriptionAndNothingLeaksBetweenThem() {
		Notification notification = new Notification("n-3", "news", null, Instant.EPOCH, null, null, 0, null);
		Frames.Broadcast broadcast = Frames.broadcast(notification, "/topic/notify", BODY);

		Message<byte[]> first = Frames.forSession(broadcast, "s-1", "sub-1");
		Message<byte[]> second = Frames.forSession(broadcast, "s-2", "sub-2");
		// what an outbound interceptor may do to one session's message
		StompHeaderAccessor changed = MessageHeaderAccessor.getAccessor(first, StompHeaderAccessor.class);
		changed.setNativeHeader("x-extra", "1");
		changed.setNativeHeader("notify-type", "changed");

		assertThat(encode(second)).isEqualTo("MESSAGE\ncontent-type:application/json\nnotify-id:n-3\n"
				+ "notify-type:news\ndestination:/topic/notify\nmessage-id:n-3\nsubscription:sub-2\n"
				+ "content-length:7\n\n{\"a\":1}\0");
		assertRoutable(second, "s-2", "sub-2", "/topic/notify");
		assertThat(encode(Frames.forSession(broadcast, "s-3", "sub-3"))).contains("notify-type:news\n")
			.doesNotContain("x-extra");
	}

	private static void assertRoutable(Message<byte[]> message, String sessionId, String subscriptionId,
			String destination) {
		assertThat(SimpMessageHeaderAccessor.getMessageType(message.getHeaders())).isEqualTo(SimpMessageType.MESSAGE);
		assertThat(SimpMessageHeaderAccessor.getSessionId(message.getHeaders())).isEqualTo(sessionId);
		assertThat(SimpMessageHeaderAccessor.getSubscriptionId(message.getHeaders())).isEqualTo(subscriptionId);
		assertThat(SimpMessageHeaderAccessor.getDestination(message.getHeaders())).isEqualTo(destination);
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		assertThat(accessor).isNotNull();
		assertThat(accessor.isMutable()).isTrue();
		assertThat(accessor.getCommand()).hasToString("MESSAGE");
	}

	private static String encode(Message<byte[]> message) {
		return new String(new StompEncoder().encode(message.getHeaders(), message.getPayload()),
				StandardCharsets.UTF_8);
	}

}
