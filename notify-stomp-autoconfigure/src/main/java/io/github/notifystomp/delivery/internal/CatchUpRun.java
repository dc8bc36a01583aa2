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
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One catch-up of every local subscription: counts its jobs, logs once all of them are
 * done, then says so, for the next run to start if one was asked for meanwhile.
 */
final class CatchUpRun {

	// logged under Replays, where operators already look for catch-ups
	private static final Log logger = LogFactory.getLog(Replays.class);

	private final String reason;

	private final Runnable whenDone;

	private final long start = System.nanoTime();

	// the jobs, and the enumeration that queues them
	private final AtomicInteger pending = new AtomicInteger(1);

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final AtomicInteger sent = new AtomicInteger();

	CatchUpRun(String reason, Runnable whenDone) {
		this.reason = reason;
		this.whenDone = whenDone;
	}

	void add() {
		this.pending.incrementAndGet();
		this.subscriptions.incrementAndGet();
	}

	void jobDone(int count) {
		this.sent.addAndGet(count);
		if (this.pending.decrementAndGet() == 0) {
			if (this.subscriptions.get() > 0) {
				logger.info("Caught up " + this.subscriptions.get() + " subscription(s) with " + this.sent.get()
						+ " missed message(s) in " + Duration.ofNanos(System.nanoTime() - this.start).toMillis()
						+ " ms (" + this.reason + ")");
			}
			this.whenDone.run();
		}
	}

}
