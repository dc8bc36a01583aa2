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

package io.github.notifystomp.auth.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users whose CONNECTs this node refuses until a time, after the application
 * disconnected them and asked for their reconnects to be refused. Only the application or
 * an operator adds entries, never a client.
 */
public class UserBlocks {

	private final Map<String, Instant> refusedUntil = new ConcurrentHashMap<>();

	/**
	 * Refuse a user's CONNECTs until a time; a later time already recorded stays.
	 * @param userId the user
	 * @param until the end of the block; {@code null} or a past instant adds nothing
	 */
	public void refuseUntil(String userId, Instant until) {
		if (until == null || !until.isAfter(Instant.now())) {
			return;
		}
		this.refusedUntil.merge(userId, until, (current, added) -> current.isAfter(added) ? current : added);
	}

	/**
	 * Accept the user's CONNECTs again.
	 * @param userId the user
	 */
	public void allow(String userId) {
		this.refusedUntil.remove(userId);
	}

	/**
	 * Return until when a user's CONNECTs are refused.
	 * @param userId the user
	 * @return the end of the block, or {@code null} if the user is not blocked now
	 */
	public Instant refusedUntil(String userId) {
		Instant until = this.refusedUntil.get(userId);
		if (until != null && !until.isAfter(Instant.now())) {
			this.refusedUntil.remove(userId, until);
			return null;
		}
		return until;
	}

}
