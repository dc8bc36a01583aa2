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

import java.time.Instant;

import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.ClusterRelay;
import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.Notification;

/**
 * The {@link MessageRouter}: delivers to this node's sessions, then hands the message to
 * the {@link ClusterRelay} for the other nodes.
 */
public class DefaultMessageRouter implements MessageRouter {

	private final LocalSessions sessions;

	private final UserBlocks blocks;

	private final ClusterRelay relay;

	/**
	 * Create a router over this node's sessions.
	 * @param sessions the sessions
	 * @param blocks the users whose CONNECTs are refused
	 * @param relay tells the other nodes, {@link ClusterRelay#NONE} on a single node
	 */
	public DefaultMessageRouter(LocalSessions sessions, UserBlocks blocks, ClusterRelay relay) {
		this.sessions = sessions;
		this.blocks = blocks;
		this.relay = relay;
	}

	@Override
	public void toUser(Notification notification) {
		// a local failure reaches the caller, but never keeps the message from
		// other nodes
		int reached = 0;
		try {
			reached = this.sessions.deliver(notification);
		}
		finally {
			this.relay.toUser(notification, reached);
		}
	}

	@Override
	public void broadcast(Notification notification) {
		try {
			this.sessions.broadcast(notification);
		}
		finally {
			this.relay.broadcast(notification);
		}
	}

	@Override
	public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
		this.blocks.refuseUntil(userId, refuseReconnectsUntil);
		this.sessions.closeUser(userId, LocalSessions.DISCONNECT_TEXT);
		return this.relay.disconnectUser(userId, refuseReconnectsUntil);
	}

	@Override
	public void allowReconnects(String userId) {
		this.blocks.allow(userId);
		this.relay.allowReconnects(userId);
	}

}
