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

package io.github.notifystomp.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Gives the client inbound and outbound channels executors of their own with bounded
 * queues. Spring's default executors, and Boot's shared {@code applicationTaskExecutor}
 * that Boot's own configurer (order 0) sets on both channels, queue without limit, so a
 * flood of frames becomes heap growth.
 * <p>
 * Each executor has a fixed number of threads ({@value #MIN_THREADS}, or twice the
 * processors when that is more) and a queue of {@value #QUEUE_CAPACITY} tasks. When the
 * queue is full, Spring's channel runs the task on the thread that sent it: for inbound
 * frames that is the container thread reading the connection that floods, so that
 * connection is slowed down (back-pressure) and no frame is lost; for outbound messages
 * it is the thread handing them over. Each session's outbox keeps at most one of its own
 * messages in the outbound queue, so the queue stays far below its limit unless the node
 * is overloaded.
 * <p>
 * Ordered after Boot's configurer, so it replaces the shared executor, and before
 * configurers without an order, so an application that sets its own executor with
 * {@code ChannelRegistration.executor(...)} in its own configurer keeps it.
 */
class NotifyStompChannelExecutorConfigurer implements WebSocketMessageBrokerConfigurer, Ordered {

	static final int MIN_THREADS = 8;

	static final int QUEUE_CAPACITY = 10_000;

	private final int threads;

	NotifyStompChannelExecutorConfigurer(int processors) {
		this.threads = Math.max(MIN_THREADS, 2 * processors);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.executor(executor("notify-stomp-inbound-"));
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.executor(executor("notify-stomp-outbound-"));
	}

	// initialized and shut down by the context, as the channel executor beans
	private ThreadPoolTaskExecutor executor(String threadNamePrefix) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(this.threads);
		executor.setMaxPoolSize(this.threads);
		executor.setQueueCapacity(QUEUE_CAPACITY);
		executor.setThreadNamePrefix(threadNamePrefix);
		executor.setAllowCoreThreadTimeOut(true);
		// the drain on context close still writes what is queued for the sessions
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Override
	public int getOrder() {
		return 1;
	}

}
