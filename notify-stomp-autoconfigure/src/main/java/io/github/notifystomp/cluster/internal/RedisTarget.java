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

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Where Redis is and how to log in: the part of Spring Boot's Redis connection details
 * that a Redisson client needs, in a form that does not depend on the Spring Boot line
 * (the connection details interface moved in Spring Boot 4).
 *
 * @param topology how the servers are arranged
 * @param nodes the servers: one for a standalone server, the sentinels for Sentinel, the
 * seeds otherwise
 * @param database the database, for a standalone server or Sentinel
 * @param master the master's name, for Sentinel; {@code null} otherwise
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 * @param sentinelUsername the sentinels' own user name, or {@code null}
 * @param sentinelPassword the sentinels' own password, or {@code null}
 * @param tls whether to connect with TLS
 * @param sslBundle the TLS material, or {@code null} for the JDK's defaults
 */
public record RedisTarget(Topology topology, List<Node> nodes, int database, String master, String username,
		String password, String sentinelUsername, String sentinelPassword, boolean tls, SslBundle sslBundle) {

	/**
	 * A single server.
	 * @param host its host
	 * @param port its port
	 * @param database the database
	 * @return the target, without credentials or TLS
	 */
	public static RedisTarget standalone(String host, int port, int database) {
		return new RedisTarget(Topology.STANDALONE, List.of(new Node(host, port)), database, null, null, null, null,
				null, false, null);
	}

	/**
	 * A master found through Sentinel.
	 * @param master the master's name
	 * @param sentinels the sentinels
	 * @param database the database
	 * @param sentinelUsername the sentinels' user name, or {@code null}
	 * @param sentinelPassword the sentinels' password, or {@code null}
	 * @return the target, without credentials or TLS
	 */
	public static RedisTarget sentinel(String master, List<Node> sentinels, int database, String sentinelUsername,
			String sentinelPassword) {
		return new RedisTarget(Topology.SENTINEL, sentinels, database, master, null, null, sentinelUsername,
				sentinelPassword, false, null);
	}

	/**
	 * A Redis Cluster.
	 * @param seeds some of its nodes
	 * @return the target, without credentials or TLS
	 */
	public static RedisTarget cluster(List<Node> seeds) {
		return new RedisTarget(Topology.CLUSTER, seeds, 0, null, null, null, null, null, false, null);
	}

	/**
	 * A master with replicas, found among the given servers.
	 * @param nodes the servers
	 * @return the target, without credentials or TLS
	 */
	public static RedisTarget masterReplica(List<Node> nodes) {
		return new RedisTarget(Topology.MASTER_REPLICA, nodes, 0, null, null, null, null, null, false, null);
	}

	/**
	 * Read the target from {@code spring.data.redis.*}, with Boot's precedence: Sentinel
	 * over cluster over master/replica over a single server; for a single server the URL,
	 * when set, wins over host, port, database and credentials.
	 * @param properties the properties
	 * @param sslBundles the SSL bundles, or {@code null} if none are configured
	 * @return the target
	 * @throws IllegalArgumentException if the URL is not a Redis URL
	 */
	public static RedisTarget of(SpringDataRedisProperties properties, SslBundles sslBundles) {
		URI url = parse(properties.getUrl());
		String username = (url != null) ? credentials(url)[0] : properties.getUsername();
		String password = (url != null) ? credentials(url)[1] : properties.getPassword();
		int database = (url != null) ? database(url) : properties.getDatabase();
		RedisTarget target;
		if (properties.getSentinel() != null) {
			SpringDataRedisProperties.Sentinel sentinel = properties.getSentinel();
			target = sentinel(sentinel.getMaster(), nodes(sentinel.getNodes()), database, sentinel.getUsername(),
					sentinel.getPassword());
		}
		else if (properties.getCluster() != null) {
			target = cluster(nodes(properties.getCluster().getNodes()));
		}
		else if (properties.getMasterreplica() != null) {
			target = masterReplica(nodes(properties.getMasterreplica().getNodes()));
		}
		else if (url != null) {
			target = standalone(url.getHost(), (url.getPort() > 0) ? url.getPort() : 6379, database);
		}
		else {
			target = standalone(properties.getHost(), properties.getPort(), database);
		}
		return target.withCredentials(username, password)
			.withTls(properties.getSsl().isEnabled() || properties.isUrlTls(), sslBundle(properties, sslBundles));
	}

	/**
	 * Return this target with credentials.
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @return a new target
	 */
	public RedisTarget withCredentials(String username, String password) {
		return new RedisTarget(this.topology, this.nodes, this.database, this.master, username, password,
				this.sentinelUsername, this.sentinelPassword, this.tls, this.sslBundle);
	}

	/**
	 * Return this target with TLS settings.
	 * @param tls whether to connect with TLS; always when a bundle is given
	 * @param sslBundle the TLS material, or {@code null} for the JDK's defaults
	 * @return a new target
	 */
	public RedisTarget withTls(boolean tls, SslBundle sslBundle) {
		return new RedisTarget(this.topology, this.nodes, this.database, this.master, this.username, this.password,
				this.sentinelUsername, this.sentinelPassword, tls || sslBundle != null, sslBundle);
	}

	private static SslBundle sslBundle(SpringDataRedisProperties properties, SslBundles sslBundles) {
		String bundle = properties.getSsl().getBundle();
		if (!properties.getSsl().isEnabled() || !StringUtils.hasLength(bundle)) {
			return null;
		}
		if (sslBundles == null) {
			throw new IllegalStateException(
					"spring.data.redis.ssl.bundle is set to '" + bundle + "' but no SSL bundles are configured");
		}
		return sslBundles.getBundle(bundle);
	}

	private static URI parse(String url) {
		if (!StringUtils.hasText(url)) {
			return null;
		}
		try {
			URI uri = new URI(url);
			if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
				throw new IllegalArgumentException(
						"spring.data.redis.url must start with redis:// or rediss://, not '" + uri.getScheme() + "'");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("spring.data.redis.url is not a valid URL", ex);
		}
	}

	private static String[] credentials(URI url) {
		String userInfo = url.getUserInfo();
		if (userInfo == null) {
			return new String[2];
		}
		int colon = userInfo.indexOf(':');
		return (colon >= 0) ? new String[] { userInfo.substring(0, colon), userInfo.substring(colon + 1) }
				: new String[] { null, userInfo };
	}

	private static int database(URI url) {
		String path = url.getPath();
		if (!StringUtils.hasText(path) || path.length() < 2) {
			return 0;
		}
		return Integer.parseInt(path.substring(1));
	}

	private static List<Node> nodes(List<String> nodes) {
		return nodes.stream().map((node) -> {
			int colon = node.lastIndexOf(':');
			return new Node(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
		}).toList();
	}

	/**
	 * How the Redis servers are arranged.
	 */
	public enum Topology {

		/**
		 * One server.
		 */
		STANDALONE,

		/**
		 * A master found through Sentinel.
		 */
		SENTINEL,

		/**
		 * A Redis Cluster.
		 */
		CLUSTER,

		/**
		 * A master and its replicas, found among the given servers.
		 */
		MASTER_REPLICA

	}

	/**
	 * One server.
	 *
	 * @param host its host name or address
	 * @param port its port
	 */
	public record Node(String host, int port) {

	}

}
