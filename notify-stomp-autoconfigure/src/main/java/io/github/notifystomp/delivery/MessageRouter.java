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

/**
 * Takes a notification to the sessions that should get it: this node's, then, through the
 * {@link ClusterRelay}, the other nodes' in cluster mode.
 * <p>
 * Routing never throws into the caller because of a failed relay: a stored message that
 * could not be relayed stays in the store for redelivery and replay.
 */
public interface MessageRouter {

	/**
	 * Deliver a user message to every session of its user.
	 * @param notification the message, with its user id
	 */
	void toUser(Notification notification);

	/**
	 * Deliver a broadcast to every subscriber of the broadcast topic.
	 * @param notification the broadcast
	 */
	void broadcast(Notification notification);

	/**
	 * Close every session of a user, and refuse the user's CONNECTs until a time, on
	 * every node.
	 * @param userId the user
	 * @param refuseReconnectsUntil the end of the block, or {@code null} for none
	 * @return whether every node was told; when not, the router tells the others as soon
	 * as it can
	 */
	boolean disconnectUser(String userId, Instant refuseReconnectsUntil);

	/**
	 * Accept a user's CONNECTs again, on every node.
	 * @param userId the user
	 */
	void allowReconnects(String userId);

}
