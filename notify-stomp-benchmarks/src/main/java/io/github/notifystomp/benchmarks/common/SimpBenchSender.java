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

package io.github.notifystomp.benchmarks.common;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpUserRegistry;

/**
 * A {@link BenchSender} on Spring's own API, for the baselines:
 * {@code convertAndSendToUser} for user messages, {@code convertAndSend} to the topic for
 * broadcasts.
 */
public class SimpBenchSender implements BenchSender {

	private final SimpMessagingTemplate template;

	private final SimpUserRegistry registry;

	private final String userDestination;

	private final String broadcastDestination;

	/**
	 * Create the sender.
	 * @param template Spring's messaging template
	 * @param registry Spring's user registry
	 * @param userDestination the user destination without the {@code /user} prefix
	 * @param broadcastDestination the broadcast topic
	 */
	public SimpBenchSender(SimpMessagingTemplate template, SimpUserRegistry registry, String userDestination,
			String broadcastDestination) {
		this.template = template;
		this.registry = registry;
		this.userDestination = userDestination;
		this.broadcastDestination = broadcastDestination;
	}

	@Override
	public void sendToUser(String userId, BenchPayload payload) {
		this.template.convertAndSendToUser(userId, this.userDestination, payload);
	}

	@Override
	public void broadcast(BenchPayload payload) {
		this.template.convertAndSend(this.broadcastDestination, payload);
	}

	@Override
	public long knownUsers() {
		return this.registry.getUserCount();
	}

}
