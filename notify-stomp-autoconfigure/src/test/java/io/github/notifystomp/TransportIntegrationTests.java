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

package io.github.notifystomp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.RestTemplateXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.TestHttp;
import io.github.notifystomp.transport.internal.SessionLabels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The transport options: the SockJS fallback, server heart-beats, and the checks a
 * message passes before anything is sent.
 */
@NotifyStompServerTest(properties = { "notify.stomp.sockjs.enabled=true", "notify.stomp.heartbeat.server=1",
		"notify.stomp.limits.max-payload-size=1KB" })
@ExtendWith(OutputCaptureExtension.class)
class TransportIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenSockJsIsEnabledThenAClientConnectsThroughTheFallbackEndpointAndReceives() throws Exception {
		WebSocketStompClient client = new WebSocketStompClient(
				new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
		client.setMessageConverter(new SimpleMessageConverter());
		StompHeaders connect = new StompHeaders();
		connect.add("Authorization", "Bearer valid-sockjs-user");
		CompletableFuture<StompSession> future = client.connectAsync("http://localhost:" + this.port + "/ws-sockjs",
				new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
				});
		StompSession session = future.get(10, TimeUnit.SECONDS);
		try {
			BlockingQueue<String> received = new LinkedBlockingQueue<>();
			session.subscribe("/user/queue/notify", new StompFrameHandler() {

				@Override
				public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, Object payload) {
					received.add(new String((byte[]) payload, StandardCharsets.UTF_8));
				}

			});
			await().until(() -> this.sessions.sessionsOf("sockjs-user")
				.stream()
				.anyMatch((s) -> s.userSubscriptionCount() > 0));
			this.notifyTemplate.sendToUser("sockjs-user", NotifyMessage.of("text", "over sockjs"));
			assertThat(received.poll(10, TimeUnit.SECONDS)).contains("over sockjs");
		}
		finally {
			session.disconnect();
			client.stop();
		}
	}

	@Test
	void whenSockJsSessionsAreShownOrLoggedThenTheirIdsWhichAreTransportCredentialsAreNot(CapturedOutput output)
			throws Exception {
		WebSocketStompClient client = new WebSocketStompClient(
				new SockJsClient(List.of(new RestTemplateXhrTransport())));
		client.setMessageConverter(new SimpleMessageConverter());
		StompHeaders connect = new StompHeaders();
		connect.add("Authorization", "Bearer valid-xhr-user");
		StompSession session = client.connectAsync("http://localhost:" + this.port + "/ws-sockjs",
				new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
				})
			.get(10, TimeUnit.SECONDS);
		try {
			await().until(() -> !this.sessions.sessionsOf("xhr-user").isEmpty());
			String id = this.sessions.sessionsOf("xhr-user").iterator().next().id();
			String label = SessionLabels.of(id);
			TestHttp http = new TestHttp(this.port);
			// the id opens the session's transport (a heart-beat frame goes in), the
			// label does not
			assertThat(http.post("/ws-sockjs/000/" + id + "/xhr_send", "application/json", "[\"\\n\"]").status())
				.isEqualTo(204);
			assertThat(http.post("/ws-sockjs/000/" + label + "/xhr_send", "application/json", "[\"\\n\"]").status())
				.isEqualTo(404);
			this.notifyTemplate.disconnectUser("xhr-user");
			await().until(() -> this.sessions.sessionsOf("xhr-user").isEmpty());
			assertThat(label).isNotEqualTo(id).hasSize(16);
			assertThat(output.getOut()).doesNotContain(id);
		}
		finally {
			client.stop();
		}
	}

	@Test
	void whenTheClientAsksForHeartBeatsThenTheServerSendsThem() throws Exception {
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,500", "Authorization:Bearer valid-henry");
			String connected = raw.next();
			assertThat(connected).startsWith("CONNECTED").contains("heart-beat:1000,");
			// a heart-beat is a bare end-of-line
			assertThat(raw.next()).isEqualTo("\n");
		}
	}

	@Test
	void whenTheHeartBeatIsABareNumberThenItMeansSeconds() throws Exception {
		// heartbeat.server=1: one heart-beat a second, not one a millisecond
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,1", "Authorization:Bearer valid-hugo");
			assertThat(raw.next()).startsWith("CONNECTED").contains("heart-beat:1000,");
			Thread.sleep(2500);
			long heartBeats = raw.received().stream().filter("\n"::equals).count();
			assertThat(heartBeats).isBetween(1L, 4L);
		}
	}

	@Test
	void whenTheMessageIsNotValidThenTheTemplateThrowsAndNothingIsSent() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.notifyTemplate.sendToUser(null, NotifyMessage.of("text", "x")));
		assertThatIllegalArgumentException().isThrownBy(() -> NotifyMessage.of(" ", "x"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.notifyTemplate.sendToUser("ivy", NotifyMessage.of("text", new Unserializable())))
			.withMessageContaining("cannot be serialized");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.notifyTemplate.sendToUser("ivy", NotifyMessage.of("text", "x".repeat(2048))))
			.withMessageContaining("notify.stomp.limits.max-payload-size");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.notifyTemplate.broadcast(NotifyMessage.of("text", new Unserializable())));
		assertThat(this.notifyTemplate.sendToUser("ivy", NotifyMessage.of("text", "fine")).seq()).isEqualTo(1);
	}

	// Jackson fails on a getter that throws
	static class Unserializable {

		public String getValue() {
			throw new IllegalStateException("not now");
		}

	}

}
