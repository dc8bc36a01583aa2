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

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.github.notifystomp.DisconnectResult;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.presence.ClusterNode;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * The {@code notifystomp} Actuator endpoint: this node and its sessions, the cluster's
 * nodes, one user's sessions per node, an operation that disconnects a user on every node
 * (and can refuse their reconnects for a while), and one that lifts such a block.
 * Sessions appear by their label, never by their id, which is a transport credential
 * under SockJS. Secure it like any Actuator endpoint; it is not exposed over HTTP unless
 * listed in {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "notifystomp")
public class NotifyStompEndpoint {

	private final ClusterNode node;

	private final LocalSessions sessions;

	private final PresenceRegistry presence;

	private final NotifyTemplate notifyTemplate;

	private final UserBlocks blocks;

	/**
	 * Create the endpoint.
	 * @param node this node
	 * @param sessions this node's sessions
	 * @param presence cluster-wide presence
	 * @param notifyTemplate disconnects users
	 * @param blocks the users whose CONNECTs are refused for a while
	 */
	public NotifyStompEndpoint(ClusterNode node, LocalSessions sessions, PresenceRegistry presence,
			NotifyTemplate notifyTemplate, UserBlocks blocks) {
		this.node = node;
		this.sessions = sessions;
		this.presence = presence;
		this.notifyTemplate = notifyTemplate;
		this.blocks = blocks;
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
			.map((session) -> new SessionDescriptor(SessionLabels.of(session.id()), session.connectedAt(),
					session.user().expiresAt(), session.userSubscriptionCount()))
			.toList();
		return new UserDescriptor(userId, this.presence.isOnline(userId), this.presence.sessionsOf(userId), local,
				this.blocks.refusedUntil(userId));
	}

	/**
	 * Disconnect every session of a user, on every node (for example after a password
	 * change), and refuse the user's reconnects for a while. The user's clients get an
	 * ERROR frame; stored messages stay for replay. The parameter is required, so the
	 * operation needs a JSON body, which a cross-site page cannot send.
	 * @param section must be {@code users}
	 * @param userId the user
	 * @param refuseReconnectsFor how long to refuse the user's CONNECTs, {@code 0s} for
	 * not at all
	 * @return what was done, or {@code null} (404) for another section
	 */
	@WriteOperation
	public DisconnectDescriptor disconnect(@Selector String section, @Selector String userId,
			Duration refuseReconnectsFor) {
		if (!"users".equals(section)) {
			return null;
		}
		Map<String, Integer> before = this.presence.sessionsOf(userId);
		DisconnectResult result = this.notifyTemplate.disconnectUser(userId, refuseReconnectsFor);
		return new DisconnectDescriptor(userId, before, result.allNodesTold(), result.reconnectsRefusedUntil());
	}

	/**
	 * Accept a user's CONNECTs again, on every node.
	 * @param section must be {@code blocks}
	 * @param userId the user
	 * @return the user, or {@code null} (404) for another section
	 */
	@DeleteOperation
	public Map<String, String> allow(@Selector String section, @Selector String userId) {
		if (!"blocks".equals(section)) {
			return null;
		}
		this.notifyTemplate.allowReconnects(userId);
		return Map.of("userId", userId);
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
	 * @param reconnectsRefusedUntil until when this node refuses the user's CONNECTs, or
	 * {@code null}
	 */
	public record UserDescriptor(String userId, boolean online, Map<String, Integer> nodes,
			List<SessionDescriptor> localSessions, Instant reconnectsRefusedUntil) {

	}

	/**
	 * One session on this node.
	 *
	 * @param label the session's label (a keyed hash of its id, which stays secret)
	 * @param connectedAt when it connected
	 * @param tokenExpiresAt when its token expires, or {@code null}
	 * @param userSubscriptions its subscriptions to the user destination
	 */
	public record SessionDescriptor(String label, Instant connectedAt, Instant tokenExpiresAt, int userSubscriptions) {

	}

	/**
	 * The result of a disconnect.
	 *
	 * @param userId the user
	 * @param disconnected the sessions the user had on each node
	 * @param allNodesTold whether every node was told; when not, the others are told when
	 * Redis answers again
	 * @param reconnectsRefusedUntil until when the user's CONNECTs are refused, or
	 * {@code null}
	 */
	public record DisconnectDescriptor(String userId, Map<String, Integer> disconnected, boolean allNodesTold,
			Instant reconnectsRefusedUntil) {

	}

}
