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

package io.github.notifystomp.boot3;

import java.util.List;

import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

import io.github.notifystomp.cluster.internal.RedisTarget;

/**
 * Reads a {@link RedisTarget} from Spring Boot 3.5's {@link RedisConnectionDetails}
 * (which Boot defines from {@code spring.data.redis.*} when Spring Data Redis is present,
 * and a Testcontainers or Docker Compose service connection replaces).
 */
public final class RedisConnectionDetailsTarget {

	private RedisConnectionDetailsTarget() {
	}

	/**
	 * Read the target, with Boot's precedence: Sentinel over cluster over a single
	 * server.
	 * @param details the connection details
	 * @param urlTls whether {@code spring.data.redis.url} asks for TLS
	 * @return the target
	 */
	public static RedisTarget of(RedisConnectionDetails details, boolean urlTls) {
		RedisTarget target;
		SslBundle ssl;
		if (details.getSentinel() != null) {
			RedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			target = RedisTarget.sentinel(sentinel.getMaster(), nodes(sentinel.getNodes()), sentinel.getDatabase(),
					sentinel.getUsername(), sentinel.getPassword());
			ssl = sentinel.getSslBundle();
		}
		else if (details.getCluster() != null) {
			target = RedisTarget.cluster(nodes(details.getCluster().getNodes()));
			ssl = details.getCluster().getSslBundle();
		}
		else {
			RedisConnectionDetails.Standalone standalone = details.getStandalone();
			target = RedisTarget.standalone(standalone.getHost(), standalone.getPort(), standalone.getDatabase());
			ssl = standalone.getSslBundle();
		}
		return target.withCredentials(details.getUsername(), details.getPassword()).withTls(urlTls, ssl);
	}

	private static List<RedisTarget.Node> nodes(List<RedisConnectionDetails.Node> nodes) {
		return nodes.stream().map((node) -> new RedisTarget.Node(node.host(), node.port())).toList();
	}

}
