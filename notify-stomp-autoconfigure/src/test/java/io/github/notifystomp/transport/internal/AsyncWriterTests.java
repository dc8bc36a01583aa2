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

package io.github.notifystomp.transport.internal;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the writes of {@link AsyncWriter} against a container whose writes end when
 * the test says: what waits behind a write is written together as one message, in order,
 * within the byte limit, and a lone message is written at once.
 */
class AsyncWriterTests {

	private final FakeContainer container = new FakeContainer();

	@Test
	void whenAMessageIsAloneThenItIsWrittenAtOnceOnItsOwn() {
		AsyncWriter writer = writer(8192);

		writer.write(frame("a"));

		assertThat(this.container.written).containsExactly(frame("a").getPayload());
	}

	@Test
	void whenMessagesWaitBehindAWriteThenTheNextWriteCarriesThemAllInOrder() {
		AsyncWriter writer = writer(8192);
		writer.write(frame("a"));
		for (int i = 0; i < 5; i++) {
			writer.write(frame("b" + i));
		}
		assertThat(writer.pending()).isEqualTo(6);

		this.container.complete();

		assertThat(this.container.written).containsExactly(frame("a").getPayload(),
				frame("b0").getPayload() + frame("b1").getPayload() + frame("b2").getPayload()
						+ frame("b3").getPayload() + frame("b4").getPayload());
		assertThat(writer.pending()).isEqualTo(5);
		this.container.complete();
		assertThat(writer.pending()).isZero();
	}

	@Test
	void whenWaitingMessagesExceedTheLimitThenTheyAreSplitAtIt() {
		String body = "x".repeat(400);
		int frameBytes = frame(body).getPayloadLength();
		AsyncWriter writer = writer(frameBytes * 2);
		writer.write(frame("first"));
		for (int i = 0; i < 5; i++) {
			writer.write(frame(body));
		}

		this.container.completeAll();

		assertThat(this.container.written).hasSize(4);
		assertThat(this.container.written.subList(1, 4)).extracting(AsyncWriterTests::frames).containsExactly(2, 2, 1);
		assertThat(String.join("", this.container.written))
			.isEqualTo(frame("first").getPayload() + frame(body).getPayload().repeat(5));
		assertThat(writer.pending()).isZero();
	}

	@Test
	void whenCoalescingIsOffThenEveryMessageIsWrittenOnItsOwn() {
		AsyncWriter writer = writer(0);
		for (int i = 0; i < 4; i++) {
			writer.write(frame("m" + i));
		}

		this.container.completeAll();

		assertThat(this.container.written).extracting(AsyncWriterTests::frames).containsExactly(1, 1, 1, 1);
	}

	@Test
	void whenAPingWaitsBetweenMessagesThenItIsNotJoinedAndOrderIsKept() {
		AsyncWriter writer = writer(8192);
		writer.write(frame("a"));
		writer.write(frame("b"));
		writer.write(new PingMessage(ByteBuffer.wrap("p".getBytes(StandardCharsets.US_ASCII))));
		writer.write(frame("c"));
		writer.write(frame("d"));

		this.container.completeAll();

		assertThat(this.container.written).containsExactly(frame("a").getPayload(), frame("b").getPayload(), "ping",
				frame("c").getPayload() + frame("d").getPayload());
	}

	@Test
	void whenMessagesAreWrittenTogetherThenWaitersCountEachOfThem() {
		AsyncWriter writer = writer(8192);
		writer.write(frame("a"));
		writer.write(frame("b"));
		writer.write(frame("c"));
		AtomicInteger ran = new AtomicInteger();
		writer.whenAtMost(2, 2, 0, ran::incrementAndGet);
		writer.whenWritten(ran::incrementAndGet);

		this.container.complete();
		assertThat(ran).hasValue(1);
		this.container.complete();
		assertThat(ran).hasValue(2);
	}

	@Test
	void whenPendingMessagesAreSmallThenMoreOfThemLeaveRoomThanLargeOnes() {
		AsyncWriter writer = writer(8192);
		for (int i = 0; i < 5; i++) {
			writer.write(frame("small"));
		}
		AtomicInteger small = new AtomicInteger();
		writer.whenAtMost(2, 16, 8192, small::incrementAndGet);
		assertThat(small).as("five small frames leave room").hasValue(1);

		writer.write(frame("x".repeat(9000)));
		AtomicInteger large = new AtomicInteger();
		writer.whenAtMost(2, 16, 8192, large::incrementAndGet);
		assertThat(large).as("over the byte bound: two at most").hasValue(0);
		this.container.complete();
		assertThat(large).as("the five small ones joined, one large one left").hasValue(0);
		this.container.complete();
		assertThat(large).hasValue(1);
	}

	@Test
	void whenAHandedOverMessageHasNotArrivedThenTheNextWaitsForIt() {
		AsyncWriter writer = writer(8192);
		long before = writer.accepted();
		AtomicInteger ran = new AtomicInteger();
		// Spring's session holds the message in its buffer behind another thread's
		// write: the writer is idle, and yet the message is not written
		assertThat(writer.whenReadyForMore(before, ran::incrementAndGet)).as("waits for the message").isTrue();
		assertThat(ran).hasValue(0);

		writer.write(frame("a"));

		assertThat(ran).as("the message got here").hasValue(1);
		AtomicInteger arrived = new AtomicInteger();
		assertThat(writer.whenReadyForMore(before, arrived::incrementAndGet)).isFalse();
		assertThat(arrived).hasValue(1);
	}

	@Test
	void whenAHandedOverMessageIsLeftInSpringsBufferThenTheWaitEnds() {
		AsyncWriter writer = writer(8192);
		AtomicInteger ran = new AtomicInteger();
		Runnable next = ran::incrementAndGet;
		writer.whenReadyForMore(writer.accepted(), next);

		writer.stopWaitingForArrival(next);

		assertThat(ran).as("the next message brings the one left behind along").hasValue(1);
	}

	@Test
	void whenAJoinedWriteFailsThenTheWriterGivesUpOnce() {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		AtomicInteger failures = new AtomicInteger();
		AsyncWriter writer = new AsyncWriter("s", this.container.session(), null, 1 << 20, 8192, (ex) -> {
			failures.incrementAndGet();
			failure.set(ex);
		});
		writer.write(frame("a"));
		writer.write(frame("b"));
		writer.write(frame("c"));
		this.container.complete();

		this.container.fail(new IllegalStateException("gone"));

		assertThat(failures).hasValue(1);
		assertThat(failure.get()).hasMessage("gone");
		assertThat(writer.pending()).isZero();
		assertThat(writer.write(frame("d"))).isFalse();
	}

	private AsyncWriter writer(int coalesceBytes) {
		return new AsyncWriter("s", this.container.session(), null, 1 << 20, coalesceBytes, (ex) -> {
		});
	}

	private static TextMessage frame(String body) {
		return new TextMessage(
				("MESSAGE\ndestination:/user/queue/notify\n\n" + body + "\0").getBytes(StandardCharsets.UTF_8));
	}

	private static int frames(String message) {
		return (int) message.chars().filter((c) -> c == 0).count();
	}

	// a container whose asynchronous writes end only when the test completes them
	private static final class FakeContainer {

		private final List<String> written = new ArrayList<>();

		private final List<SendHandler> inFlight = new ArrayList<>();

		Session session() {
			RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { RemoteEndpoint.Async.class }, (proxy, method, args) -> {
						switch (method.getName()) {
							case "sendText" -> {
								this.written.add((String) args[0]);
								this.inFlight.add((SendHandler) args[1]);
							}
							case "sendPing" -> this.written.add("ping");
							default -> {
							}
						}
						return null;
					});
			return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Session.class },
					(proxy, method, args) -> switch (method.getName()) {
						case "getAsyncRemote" -> async;
						case "getId" -> "s";
						default -> null;
					});
		}

		void complete() {
			this.inFlight.remove(0).onResult(new SendResult());
		}

		void completeAll() {
			while (!this.inFlight.isEmpty()) {
				complete();
			}
		}

		void fail(Throwable failure) {
			this.inFlight.remove(0).onResult(new SendResult(failure));
		}

	}

}
