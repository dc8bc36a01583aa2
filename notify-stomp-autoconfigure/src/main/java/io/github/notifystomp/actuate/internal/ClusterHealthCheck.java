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

import java.time.Duration;
import java.time.Instant;

import io.github.notifystomp.cluster.internal.ClusterStatus;

/**
 * The cluster part of the {@code notifyStomp} health: Redis answers, the relay channels
 * are subscribed, and the presence lease was renewed within its lifetime (otherwise other
 * nodes already stopped routing to this one).
 */
public class ClusterHealthCheck implements NotifyStompHealth.Check {

	private final ClusterStatus status;

	private final Duration lease;

	/**
	 * Create the check.
	 * @param status this node's link to Redis
	 * @param lease the presence lease
	 */
	public ClusterHealthCheck(ClusterStatus status, Duration lease) {
		this.status = status;
		this.lease = lease;
	}

	@Override
	public String name() {
		return "cluster";
	}

	@Override
	public String problem() {
		if (!this.status.isRedisReachable()) {
			String error = this.status.lastError();
			return "Redis is unreachable" + ((error != null) ? " (" + error + ")" : "");
		}
		if (!this.status.isSubscribed()) {
			return "relay channels are not subscribed";
		}
		Instant renewal = this.status.lastRenewal();
		if (renewal == null || renewal.isBefore(Instant.now().minus(this.lease))) {
			return "presence lease not renewed since " + renewal;
		}
		return null;
	}

}
