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
package io.github.notifystomp.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.SendResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends stored messages to a set of users from one or more nodes, in a thread of its own,
 * and records what each send returned and how long it took.
 */
public final class Traffic {

	private final List<SendResult> results = new CopyOnWriteArrayList<>();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final AtomicLong longestNanos = new AtomicLong();

	private final AtomicLong sent = new AtomicLong();

	private final List<String> users;

	private final IntFunction<NotifyTemplate> templates;

	private final int templateCount;

	private Thread thread;

	/**
	 * Traffic to the given users, the i-th message sent through
	 * {@code templates.apply(i % templateCount)}.
	 */
	public Traffic(List<String> users, int templateCount, IntFunction<NotifyTemplate> templates) {
		this.users = List.copyOf(users);
		this.templates = templates;
		this.templateCount = templateCount;
	}

	/**
	 * Send messages now, on the calling thread, one after the other.
	 */
	public Traffic send(int count) {
		long start = this.sent.get();
		for (int i = 0; i < count; i++) {
			sendOne((int) (start + i));
		}
		return this;
	}

	/**
	 * Send messages in the background, pausing between them.
	 */
	public Traffic sendInBackground(int count, Duration pause) {
		long start = this.sent.get();
		this.thread = new Thread(() -> {
			for (int i = 0; i < count; i++) {
				sendOne((int) (start + i));
				if (!pause.isZero()) {
					try {
						Thread.sleep(pause.toMillis());
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}
		}, "traffic");
		this.thread.start();
		return this;
	}

	/**
	 * Wait for the background sends.
	 */
	public Traffic await(Duration timeout) {
		try {
			this.thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		assertThat(this.thread.isAlive()).as("background sends still running after %s", timeout).isFalse();
		return this;
	}

	public long sent() {
		return this.sent.get();
	}

	private void sendOne(int i) {
		String user = this.users.get(i % this.users.size());
		NotifyTemplate template = this.templates.apply(i % this.templateCount);
		long start = System.nanoTime();
		try {
			this.results.add(template.sendToUser(user, NotifyMessage.of("text", "message " + i)));
		}
		catch (RuntimeException ex) {
			this.failures.add(ex);
		}
		finally {
			long took = System.nanoTime() - start;
			this.longestNanos.accumulateAndGet(took, Math::max);
			this.sent.incrementAndGet();
		}
	}

	public List<SendResult> results() {
		return new ArrayList<>(this.results);
	}

	public List<Throwable> failures() {
		return List.copyOf(this.failures);
	}

	/**
	 * Return the longest time one send took.
	 */
	public Duration longest() {
		return Duration.ofNanos(this.longestNanos.get());
	}

}
