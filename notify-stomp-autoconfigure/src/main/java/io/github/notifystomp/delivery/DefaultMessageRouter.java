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

package io.github.notifystomp.delivery;

import java.time.Instant;

import io.github.notifystomp.auth.UserBlocks;

/**
 * A {@link MessageRouter} for a single node: every session is local.
 */
public class DefaultMessageRouter implements MessageRouter {

	private final LocalSessions sessions;

	private final UserBlocks blocks;

	/**
	 * Create a router over this node's sessions.
	 * @param sessions the sessions
	 * @param blocks the users whose CONNECTs are refused
	 */
	public DefaultMessageRouter(LocalSessions sessions, UserBlocks blocks) {
		this.sessions = sessions;
		this.blocks = blocks;
	}

	@Override
	public void toUser(Notification notification) {
		this.sessions.deliver(notification);
	}

	@Override
	public void broadcast(Notification notification) {
		this.sessions.broadcast(notification);
	}

	@Override
	public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
		this.blocks.refuseUntil(userId, refuseReconnectsUntil);
		this.sessions.closeUser(userId, LocalSessions.DISCONNECT_TEXT);
		return true;
	}

	@Override
	public void allowReconnects(String userId) {
		this.blocks.allow(userId);
	}

}
