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

package io.github.notifystomp.actuate;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.cluster.ClusterNode;
import io.github.notifystomp.cluster.PresenceRegistry;
import io.github.notifystomp.delivery.LocalSessions;

/**
 * The {@code notifystomp} Actuator endpoint: this node and its sessions, the cluster's
 * nodes, one user's sessions per node, and an operation that disconnects a user on every
 * node. Secure it like any Actuator endpoint; it is not exposed over HTTP unless listed
 * in {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "notifystomp")
public class NotifyStompEndpoint {

	private final ClusterNode node;

	private final LocalSessions sessions;

	private final PresenceRegistry presence;

	private final NotifyTemplate notifyTemplate;

	/**
	 * Create the endpoint.
	 * @param node this node
	 * @param sessions this node's sessions
	 * @param presence cluster-wide presence
	 * @param notifyTemplate disconnects users
	 */
	public NotifyStompEndpoint(ClusterNode node, LocalSessions sessions, PresenceRegistry presence,
			NotifyTemplate notifyTemplate) {
		this.node = node;
		this.sessions = sessions;
		this.presence = presence;
		this.notifyTemplate = notifyTemplate;
	}

	/**
	 * Describe this node and the cluster.
	 * @return the description
	 */
	@ReadOperation
	public NodeDescriptor node() {
		return new NodeDescriptor(this.node.id(), this.sessions.sessionCount(), this.sessions.userCount(),
				this.presence.onlineUserCount(), this.presence.sessionsPerNode());
	}

	/**
	 * Describe one user's sessions.
	 * @param section must be {@code users}
	 * @param userId the user
	 * @return the user's sessions, or {@code null} (404) for another section
	 */
	@ReadOperation
	public UserDescriptor user(@Selector String section, @Selector String userId) {
		if (!"users".equals(section)) {
			return null;
		}
		List<SessionDescriptor> local = this.sessions.sessionsOf(userId)
			.stream()
			.sorted(Comparator.comparing((session) -> session.connectedAt()))
			.map((session) -> new SessionDescriptor(session.id(), session.connectedAt(), session.user().expiresAt(),
					session.userSubscriptionCount()))
			.toList();
		return new UserDescriptor(userId, this.presence.isOnline(userId), this.presence.sessionsOf(userId), local);
	}

	/**
	 * Disconnect every session of a user, on every node (for example after a password
	 * change). The user's clients get an ERROR frame; stored messages stay for replay.
	 * @param section must be {@code users}
	 * @param userId the user
	 * @return what was done, or {@code null} (404) for another section
	 */
	@WriteOperation
	public DisconnectDescriptor disconnect(@Selector String section, @Selector String userId) {
		if (!"users".equals(section)) {
			return null;
		}
		Map<String, Integer> before = this.presence.sessionsOf(userId);
		this.notifyTemplate.disconnectUser(userId);
		return new DisconnectDescriptor(userId, before);
	}

	/**
	 * This node and the cluster.
	 *
	 * @param nodeId this node's id
	 * @param localSessions sessions connected to this node
	 * @param localUsers distinct users connected to this node
	 * @param onlineUsers distinct users connected to any node
	 * @param nodes session count of each live node
	 */
	public record NodeDescriptor(String nodeId, int localSessions, int localUsers, long onlineUsers,
			Map<String, Integer> nodes) {

	}

	/**
	 * One user's sessions.
	 *
	 * @param userId the user
	 * @param online whether the user has a session on any node
	 * @param nodes session count on each node
	 * @param localSessions the sessions on this node
	 */
	public record UserDescriptor(String userId, boolean online, Map<String, Integer> nodes,
			List<SessionDescriptor> localSessions) {

	}

	/**
	 * One session on this node.
	 *
	 * @param id the session id
	 * @param connectedAt when it connected
	 * @param tokenExpiresAt when its token expires, or {@code null}
	 * @param userSubscriptions its subscriptions to the user destination
	 */
	public record SessionDescriptor(String id, Instant connectedAt, Instant tokenExpiresAt, int userSubscriptions) {

	}

	/**
	 * The result of a disconnect.
	 *
	 * @param userId the user
	 * @param disconnected the sessions the user had on each node
	 */
	public record DisconnectDescriptor(String userId, Map<String, Integer> disconnected) {

	}

}
