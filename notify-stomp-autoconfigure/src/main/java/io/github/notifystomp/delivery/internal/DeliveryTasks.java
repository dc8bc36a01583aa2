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

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The starter's own threads: a scheduler for timers (token expiry, heart-beats,
 * redelivery, presence leases) and a bounded pool for replays. Kept out of the bean
 * registry on purpose, so that they never stand in for the application's own
 * {@code TaskScheduler} or {@code Executor}.
 */
public class DeliveryTasks implements DisposableBean {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskExecutor replayExecutor = new ThreadPoolTaskExecutor();

	/**
	 * Create and start the threads.
	 * @param replayThreads threads that read replays from the store
	 * @param replayQueueCapacity replays that may wait for a thread; beyond it the
	 * subscribing client's own thread runs its replay
	 */
	public DeliveryTasks(int replayThreads, int replayQueueCapacity) {
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("notify-stomp-timer-");
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		this.replayExecutor.setCorePoolSize(replayThreads);
		this.replayExecutor.setMaxPoolSize(replayThreads);
		this.replayExecutor.setQueueCapacity(replayQueueCapacity);
		this.replayExecutor.setThreadNamePrefix("notify-stomp-replay-");
		this.replayExecutor.setDaemon(true);
		this.replayExecutor.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
		this.replayExecutor.initialize();
	}

	/**
	 * Return the timer scheduler.
	 * @return the scheduler
	 */
	public TaskScheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * Return the replay pool.
	 * @return the executor
	 */
	public Executor replayExecutor() {
		return this.replayExecutor;
	}

	@Override
	public void destroy() {
		this.replayExecutor.shutdown();
		this.scheduler.shutdown();
	}

}
