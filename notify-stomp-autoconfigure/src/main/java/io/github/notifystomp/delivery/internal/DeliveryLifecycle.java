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
import java.util.concurrent.ScheduledFuture;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the periodic redelivery of unacknowledged messages while the application runs.
 */
public class DeliveryLifecycle implements SmartLifecycle {

	private final Redelivery redelivery;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private volatile ScheduledFuture<?> task;

	/**
	 * Create the lifecycle.
	 * @param redelivery the redelivery tracker
	 * @param scheduler runs the check
	 * @param ackTimeout the ACK timeout; overdue messages are checked four times per
	 * timeout
	 */
	public DeliveryLifecycle(Redelivery redelivery, TaskScheduler scheduler, Duration ackTimeout) {
		this.redelivery = redelivery;
		this.scheduler = scheduler;
		long millis = Math.max(50, Math.min(ackTimeout.toMillis() / 4, 1000));
		this.interval = Duration.ofMillis(millis);
	}

	@Override
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(this.redelivery::redeliverOverdue, this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> task = this.task;
		if (task != null) {
			task.cancel(false);
		}
		this.task = null;
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
