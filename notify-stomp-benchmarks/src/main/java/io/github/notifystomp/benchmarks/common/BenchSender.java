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

/**
 * How a benchmark server sends: through notify-stomp's {@code NotifyTemplate}, or through
 * Spring's {@code SimpMessagingTemplate} in the baselines.
 */
public interface BenchSender {

	/**
	 * Send a message to every session of one user, wherever it is connected.
	 * @param userId the user
	 * @param payload the payload
	 */
	void sendToUser(String userId, BenchPayload payload);

	/**
	 * Send a message to every subscriber of the broadcast topic.
	 * @param payload the payload
	 */
	void broadcast(BenchPayload payload);

	/**
	 * Return the number of users the server's user registry knows, cluster-wide where it
	 * has a cluster-wide view.
	 * @return the user count
	 */
	long knownUsers();

}
