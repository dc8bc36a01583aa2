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

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.WebSocketSession;

/**
 * Finds connections that went silent: pings them, and closes those that stay silent for
 * the idle timeout, as a TCP connection can be dead without either side hearing of it.
 */
final class LivenessCheck {

	private final TaskScheduler scheduler;

	private final Duration idleTimeout;

	private final Supplier<Collection<WebSocketSession>> connections;

	private final AtomicBoolean started = new AtomicBoolean();

	private volatile ScheduledFuture<?> task;

	LivenessCheck(TaskScheduler scheduler, Duration idleTimeout, Supplier<Collection<WebSocketSession>> connections) {
		this.scheduler = scheduler;
		this.idleTimeout = idleTimeout;
		this.connections = connections;
	}

	// the check runs a few times per idle timeout: a connection is pinged once it has
	// been silent for a third of it, and closed once silent for all of it
	void start() {
		if (this.idleTimeout == null || !this.started.compareAndSet(false, true)) {
			return;
		}
		long period = Math.max(250, this.idleTimeout.toMillis() / 4);
		this.task = this.scheduler.scheduleAtFixedRate(this::check, Duration.ofMillis(period));
	}

	void check() {
		long now = System.nanoTime();
		long timeout = this.idleTimeout.toNanos();
		for (WebSocketSession session : this.connections.get()) {
			if (session instanceof ClientConnection connection) {
				long silent = now - connection.lastInbound();
				if (silent >= timeout) {
					connection.closeAsDead();
				}
				else if (silent >= timeout / 3) {
					connection.ping();
				}
			}
		}
	}

	void stop() {
		ScheduledFuture<?> task = this.task;
		if (task != null) {
			task.cancel(false);
		}
	}

}
