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

package io.github.notifystomp.cluster.internal;

import java.util.List;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * Reads a {@link RedisTarget} from Spring Boot 4's {@link DataRedisConnectionDetails}
 * (which Boot defines from {@code spring.data.redis.*} when Spring Data Redis is present,
 * and a Testcontainers or Docker Compose service connection replaces).
 */
public final class DataRedisConnectionDetailsTarget {

	private DataRedisConnectionDetailsTarget() {
	}

	/**
	 * Read the target, with Boot's precedence: Sentinel over cluster over master/replica
	 * over a single server.
	 * @param details the connection details
	 * @param urlTls whether {@code spring.data.redis.url} asks for TLS
	 * @return the target
	 */
	public static RedisTarget of(DataRedisConnectionDetails details, boolean urlTls) {
		RedisTarget target;
		if (details.getSentinel() != null) {
			DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			target = RedisTarget.sentinel(sentinel.getMaster(), nodes(sentinel.getNodes()), sentinel.getDatabase(),
					sentinel.getUsername(), sentinel.getPassword());
		}
		else if (details.getCluster() != null) {
			target = RedisTarget.cluster(nodes(details.getCluster().getNodes()));
		}
		else if (details.getMasterReplica() != null) {
			target = RedisTarget.masterReplica(nodes(details.getMasterReplica().getNodes()));
		}
		else {
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			target = RedisTarget.standalone(standalone.getHost(), standalone.getPort(), standalone.getDatabase());
		}
		return target.withCredentials(details.getUsername(), details.getPassword())
			.withTls(urlTls, details.getSslBundle());
	}

	private static List<RedisTarget.Node> nodes(List<DataRedisConnectionDetails.Node> nodes) {
		return nodes.stream().map((node) -> new RedisTarget.Node(node.host(), node.port())).toList();
	}

}
