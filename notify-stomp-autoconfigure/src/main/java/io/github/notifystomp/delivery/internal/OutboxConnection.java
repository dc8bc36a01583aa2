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

/**
 * The connection the outbox's messages are written to, through Spring's session.
 */
interface OutboxConnection {

	/**
	 * A connection written to by blocking writes: a message handled is written.
	 */
	OutboxConnection BLOCKING = new OutboxConnection() {

		@Override
		public long accepted() {
			return 0;
		}

		@Override
		public void whenReadyForMore(long acceptedBefore, Runnable action) {
			action.run();
		}

	};

	/**
	 * Return how many messages the connection has taken so far.
	 * @return the count
	 */
	long accepted();

	/**
	 * Run an action once the connection has taken the message handled after
	 * {@link #accepted()} returned the given count, and has room for another.
	 * @param acceptedBefore the count before the message was handled
	 * @param action the action
	 */
	void whenReadyForMore(long acceptedBefore, Runnable action);

}
