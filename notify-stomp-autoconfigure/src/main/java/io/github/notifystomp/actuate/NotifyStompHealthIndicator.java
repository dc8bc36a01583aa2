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

import java.util.List;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.SmartLifecycle;

import io.github.notifystomp.cluster.ClusterNode;
import io.github.notifystomp.delivery.LocalSessions;

/**
 * Health of notify-stomp ({@code notifyStomp}): UP when the STOMP endpoint and the broker
 * are running and every cluster check passes; DOWN with the reason otherwise.
 */
public class NotifyStompHealthIndicator extends AbstractHealthIndicator {

	private final ClusterNode node;

	private final LocalSessions sessions;

	private final List<SmartLifecycle> messaging;

	private final List<HealthCheck> checks;

	/**
	 * Create the indicator.
	 * @param node this node
	 * @param sessions this node's sessions
	 * @param messaging the WebSocket handler and the broker, which must be running
	 * @param checks further checks, such as the cluster link; empty when not clustered
	 */
	public NotifyStompHealthIndicator(ClusterNode node, LocalSessions sessions, List<SmartLifecycle> messaging,
			List<HealthCheck> checks) {
		super("notify-stomp health check failed");
		this.node = node;
		this.sessions = sessions;
		this.messaging = messaging;
		this.checks = checks;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("nodeId", this.node.id())
			.withDetail("sessions", this.sessions.sessionCount())
			.withDetail("users", this.sessions.userCount());
		for (SmartLifecycle component : this.messaging) {
			if (!component.isRunning()) {
				builder.down().withDetail("reason", component.getClass().getSimpleName() + " is not running");
				return;
			}
		}
		builder.up();
		for (HealthCheck check : this.checks) {
			String problem = check.problem();
			builder.withDetail(check.name(), (problem != null) ? problem : "ok");
			if (problem != null) {
				builder.down().withDetail("reason", check.name() + ": " + problem);
			}
		}
	}

	/**
	 * One more thing the health depends on, such as the Redis link in cluster mode.
	 */
	public interface HealthCheck {

		/**
		 * Return the name of the check, used as a health detail.
		 * @return the name
		 */
		String name();

		/**
		 * Check now.
		 * @return what is wrong, or {@code null} when all is well
		 */
		String problem();

	}

}
