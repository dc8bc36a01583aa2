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

package io.github.notifystomp.actuate.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.SmartLifecycle;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.presence.ClusterNode;

/**
 * Health of notify-stomp: up when the STOMP endpoint and the broker are running and every
 * further check passes; down with the reason otherwise. Actuator shows it as
 * {@code notifyStomp} through the health indicator of the running Spring Boot line.
 */
public class NotifyStompHealth {

	private final ClusterNode node;

	private final LocalSessions sessions;

	private final List<SmartLifecycle> messaging;

	private final List<Check> checks;

	/**
	 * Create the health.
	 * @param node this node
	 * @param sessions this node's sessions
	 * @param messaging the WebSocket handler and the broker, which must be running
	 * @param checks further checks, such as the cluster link; empty when not clustered
	 */
	public NotifyStompHealth(ClusterNode node, LocalSessions sessions, List<SmartLifecycle> messaging,
			List<Check> checks) {
		this.node = node;
		this.sessions = sessions;
		this.messaging = messaging;
		this.checks = checks;
	}

	/**
	 * Check now.
	 * @return whether all is well, and the details to show
	 */
	public Report check() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("nodeId", this.node.id());
		details.put("sessions", this.sessions.sessionCount());
		details.put("users", this.sessions.userCount());
		for (SmartLifecycle component : this.messaging) {
			if (!component.isRunning()) {
				details.put("reason", component.getClass().getSimpleName() + " is not running");
				return new Report(false, details);
			}
		}
		String reason = null;
		for (Check check : this.checks) {
			String problem = check.problem();
			details.put(check.name(), (problem != null) ? problem : "ok");
			if (problem != null) {
				reason = check.name() + ": " + problem;
			}
		}
		if (reason != null) {
			details.put("reason", reason);
		}
		return new Report(reason == null, details);
	}

	/**
	 * The outcome of a check.
	 *
	 * @param up whether all is well
	 * @param details what to show: node id, session and user counts, each check's
	 * outcome, and the reason when down
	 */
	public record Report(boolean up, Map<String, Object> details) {

	}

	/**
	 * One more thing the health depends on, such as the Redis link in cluster mode.
	 */
	public interface Check {

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
