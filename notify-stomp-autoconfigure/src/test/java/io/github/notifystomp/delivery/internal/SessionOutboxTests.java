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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.notifystomp.delivery.Notification;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-session outbox in front of a real executor channel whose handler blocks, the
 * way a write to a client that stops reading blocks.
 */
class SessionOutboxTests {

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	private final ExecutorSubscribableChannel channel;

	private final List<String> written = new CopyOnWriteArrayList<>();

	private final CountDownLatch unblock = new CountDownLatch(1);

	private final boolean callbacks;

	SessionOutboxTests() {
		this.executor.setCorePoolSize(4);
		this.executor.initialize();
		this.channel = new ExecutorSubscribableChannel(this.executor);
		this.channel.subscribe((message) -> {
			try {
				this.unblock.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.written.add(SimpMessageHeaderAccessor.wrap(message).getFirstNativeHeader(Frames.NOTIFY_ID));
		});
		this.callbacks = SessionOutbox.configure(this.channel);
	}

	@AfterEach
	void stop() {
		this.unblock.countDown();
		this.executor.shutdown();
	}

	@Test
	void whenManyThreadsPrepareAFreshChannelAtOnceThenItGetsExactlyOneCallback() throws Exception {
		for (int round = 0; round < 200; round++) {
			ExecutorSubscribableChannel fresh = new ExecutorSubscribableChannel(this.executor);
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<Boolean>> preparations = new java.util.ArrayList<>();
			for (int i = 0; i < 4; i++) {
				preparations.add(CompletableFuture.supplyAsync(() -> {
					try {
						start.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return SessionOutbox.configure(fresh);
				}));
			}
			start.countDown();
			for (CompletableFuture<Boolean> preparation : preparations) {
				assertThat(preparation.get(10, TimeUnit.SECONDS)).isTrue();
			}
			assertThat(fresh.getInterceptors()).hasSize(1);
		}
	}

	@Test
	void whenTheClientIsBlockedThenMessagesWaitInOrderUpToTheLimitAndThenTheOutboxIsFull() {
		SessionOutbox outbox = new SessionOutbox(this.channel, this.callbacks, 5, 1024 * 1024);
		for (int i = 0; i < 5; i++) {
			assertThat(outbox.offer(message("m" + i), 10)).isEqualTo(SessionOutbox.Offer.QUEUED);
		}

		assertThat(outbox.offer(message("m5"), 10)).isEqualTo(SessionOutbox.Offer.FULL);
		assertThat(outbox.size()).isEqualTo(5);

		this.unblock.countDown();
		Awaitility.await().until(() -> outbox.size() == 0);
		assertThat(this.written).containsExactly("m0", "m1", "m2", "m3", "m4");
	}

	@Test
	void whenQueuedBytesWouldPassTheLimitThenTheOutboxIsFullButOneLargeMessageStillFitsAnEmptyOne() {
		SessionOutbox outbox = new SessionOutbox(this.channel, this.callbacks, 100, 1000);
		assertThat(outbox.offer(message("large"), 5000)).isEqualTo(SessionOutbox.Offer.QUEUED);

		assertThat(outbox.offer(message("small"), 1)).isEqualTo(SessionOutbox.Offer.FULL);
	}

	@Test
	void whenAReplayWaitsForRoomThenItIsQueuedOnceTheClientReads() throws Exception {
		SessionOutbox outbox = new SessionOutbox(this.channel, this.callbacks, 2, 1024 * 1024);
		outbox.offer(message("m0"), 10);
		outbox.offer(message("m1"), 10);

		CompletableFuture<SessionOutbox.Offer> replayed = CompletableFuture
			.supplyAsync(() -> outbox.offer(message("replayed"), 10, TimeUnit.SECONDS.toNanos(10)));
		Awaitility.await().during(Duration.ofMillis(100)).until(() -> !replayed.isDone());
		this.unblock.countDown();

		assertThat(replayed.get(10, TimeUnit.SECONDS)).isEqualTo(SessionOutbox.Offer.QUEUED);
		Awaitility.await().until(() -> this.written.size() == 3);
		assertThat(this.written).endsWith("replayed");
	}

	@Test
	void whenTheOutboxClosesThenQueuedMessagesAreForgottenAndNoneIsTaken() {
		SessionOutbox outbox = new SessionOutbox(this.channel, this.callbacks, 10, 1024 * 1024);
		for (int i = 0; i < 4; i++) {
			outbox.offer(message("m" + i), 10);
		}

		assertThat(outbox.close()).as("forgotten, the one in flight aside").isEqualTo(3);
		assertThat(outbox.offer(message("late"), 10)).isEqualTo(SessionOutbox.Offer.CLOSED);
		this.unblock.countDown();
		Awaitility.await().until(() -> outbox.size() == 0);
		assertThat(this.written).containsExactly("m0");
	}

	private static Message<byte[]> message(String id) {
		Notification notification = new Notification(id, "text", null, Instant.now(), null, "ann", 0, null);
		return Frames.message(new Frames.Address("s1", "sub-0", "/user/queue/notify"), notification, new byte[0],
				Frames.Marks.NONE);
	}

}
