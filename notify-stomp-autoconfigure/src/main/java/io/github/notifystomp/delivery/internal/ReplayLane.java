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

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The replays (and catch-ups) of one session, run one at a time, one page per turn on the
 * shared replay pool: a session that does not read waits for room in its outbox without a
 * turn, and however many replays one session asks for, it has at most one turn queued, so
 * it cannot crowd out the replays of others. A replay for a subscription id replaces one
 * for the same id that has not started, which bounds the queue by the session's
 * subscriptions.
 */
final class ReplayLane {

	// created by the first job, as most sessions never replay
	private LinkedHashMap<String, Job> waiting;

	private Job current;

	// a turn is queued or running
	private boolean scheduled;

	// a turn was asked for while one ran
	private boolean wake;

	/**
	 * Queue a job behind the running one.
	 * @return the job it replaced, to be abandoned, or {@code null}
	 */
	synchronized Job add(Job job) {
		if (this.waiting == null) {
			this.waiting = new LinkedHashMap<>();
		}
		Job replaced = this.waiting.remove(job.subscriptionId());
		this.waiting.put(job.subscriptionId(), job);
		return replaced;
	}

	/**
	 * Ask for a turn.
	 * @return {@code true} if the caller must queue one, {@code false} if one is queued
	 * or running (it takes another turn when it ends)
	 */
	synchronized boolean claim() {
		if (this.scheduled) {
			this.wake = true;
			return false;
		}
		this.scheduled = true;
		return true;
	}

	/**
	 * Return the job whose turn it is, starting the next one when none runs.
	 * @return the job, or {@code null} if there is none
	 */
	synchronized Job current() {
		if (this.current == null && this.waiting != null) {
			Iterator<Job> jobs = this.waiting.values().iterator();
			if (jobs.hasNext()) {
				this.current = jobs.next();
				jobs.remove();
			}
		}
		return this.current;
	}

	/**
	 * Record that a job is done.
	 */
	synchronized void finished(Job job) {
		if (this.current == job) {
			this.current = null;
		}
	}

	/**
	 * End a turn.
	 * @param again whether the job wants another turn now
	 * @return {@code true} if the caller must queue another turn
	 */
	synchronized boolean release(boolean again) {
		if (again || this.wake || (this.current == null && this.waiting != null && !this.waiting.isEmpty())) {
			this.wake = false;
			return true;
		}
		this.scheduled = false;
		return false;
	}

	/**
	 * One replay or catch-up of the session.
	 */
	interface Job {

		/**
		 * Return the subscription it is for.
		 */
		String subscriptionId();

		/**
		 * Forget the job: it was replaced before it started.
		 */
		void abandon();

	}

}
