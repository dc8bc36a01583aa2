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

package io.github.notifystomp.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.github.notifystomp.store.NotifyStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes stored messages older than the retention, periodically. Every node runs it; the
 * delete is idempotent, so running it on several nodes at once is safe.
 */
public class StoreCleanup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StoreCleanup.class);

	private final NotifyStore store;

	private final TaskScheduler scheduler;

	private final Duration retention;

	private final Duration interval;

	private volatile ScheduledFuture<?> task;

	/**
	 * Create the job.
	 * @param store the store to clean
	 * @param scheduler runs the job
	 * @param retention how long messages are kept
	 * @param interval how often the job runs
	 */
	public StoreCleanup(NotifyStore store, TaskScheduler scheduler, Duration retention, Duration interval) {
		this.store = store;
		this.scheduler = scheduler;
		this.retention = retention;
		this.interval = interval;
	}

	/**
	 * Delete the messages older than the retention now.
	 * @return the number deleted
	 */
	public int runOnce() {
		try {
			int deleted = this.store.deleteCreatedBefore(Instant.now().minus(this.retention));
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " stored message(s) older than " + this.retention);
			}
			return deleted;
		}
		catch (RuntimeException ex) {
			logger.warn("Deleting expired messages failed, will retry in " + this.interval + ": " + ex);
			return 0;
		}
	}

	@Override
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(this::runOnce, Instant.now().plus(this.interval),
				this.interval);
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
