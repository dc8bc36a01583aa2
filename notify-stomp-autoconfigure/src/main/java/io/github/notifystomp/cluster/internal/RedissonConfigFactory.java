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

import java.time.Duration;

import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReplicatedServersConfig;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Builds a Redisson configuration from a {@link RedisTarget} (Spring Boot's
 * {@code spring.data.redis.*} settings, or its Redis connection details, such as a
 * Testcontainers service connection), so that an application that already configures
 * Redis needs no new settings.
 * <p>
 * The client connects lazily: a node that starts while Redis is down still starts and
 * joins when Redis answers. Its default codec is plain strings, never Redisson's Kryo
 * default. Its pools are small ({@link Pools}): the starter needs a few connections for
 * its scripts and one for its subscriptions, not Redisson's default of 24 idle
 * connections per Redis server.
 */
public final class RedissonConfigFactory {

	// a dead connection (peer gone without a FIN) is found within 10 + 3 x 5 seconds
	static final int TCP_KEEPALIVE_IDLE_SECONDS = 10;

	static final int TCP_KEEPALIVE_INTERVAL_SECONDS = 5;

	static final int TCP_KEEPALIVE_COUNT = 3;

	private RedissonConfigFactory() {
	}

	/**
	 * Build the configuration with the default pool sizes.
	 * @param target where Redis is and how to log in
	 * @param properties timeouts and client name of {@code spring.data.redis}
	 * @return a configuration with lazy initialization and a string codec
	 */
	public static Config create(RedisTarget target, SpringDataRedisProperties properties) {
		return create(target, properties, Pools.DEFAULT);
	}

	/**
	 * Build the configuration.
	 * @param target where Redis is and how to log in
	 * @param properties timeouts and client name of {@code spring.data.redis}
	 * @param pools the connection pool sizes, per Redis server
	 * @return a configuration with lazy initialization and a string codec
	 */
	public static Config create(RedisTarget target, SpringDataRedisProperties properties, Pools pools) {
		Config config = new Config();
		config.setLazyInitialization(true);
		config.setCodec(StringCodec.INSTANCE);
		// Redisson pings the connections for commands; a ping on a subscription
		// connection can lose a relay (see NoPingOnSubscriptions), so dead subscription
		// connections are found by TCP keepalive
		config.setNettyHook(new NoPingOnSubscriptions());
		config.setTcpKeepAlive(true)
			.setTcpKeepAliveIdle(TCP_KEEPALIVE_IDLE_SECONDS)
			.setTcpKeepAliveInterval(TCP_KEEPALIVE_INTERVAL_SECONDS)
			.setTcpKeepAliveCount(TCP_KEEPALIVE_COUNT);
		config.setUsername(target.username());
		config.setPassword(target.password());
		String scheme = target.tls() ? "rediss://" : "redis://";
		switch (target.topology()) {
			case SENTINEL -> {
				SentinelServersConfig servers = config.useSentinelServers()
					.setMasterName(target.master())
					.setDatabase(target.database())
					// Boot accepts a single sentinel; so do we
					.setCheckSentinelsList(false);
				target.nodes().forEach((node) -> servers.addSentinelAddress(address(scheme, node)));
				if (target.sentinelUsername() != null) {
					servers.setSentinelUsername(target.sentinelUsername());
				}
				if (target.sentinelPassword() != null) {
					servers.setSentinelPassword(target.sentinelPassword());
				}
				common(servers, properties);
				pools(servers, pools);
			}
			case CLUSTER -> {
				ClusterServersConfig servers = config.useClusterServers();
				target.nodes().forEach((node) -> servers.addNodeAddress(address(scheme, node)));
				common(servers, properties);
				pools(servers, pools);
			}
			case MASTER_REPLICA -> {
				// Redisson finds the master among the nodes, as Boot's
				// master/replica does
				ReplicatedServersConfig servers = config.useReplicatedServers();
				target.nodes().forEach((node) -> servers.addNodeAddress(address(scheme, node)));
				common(servers, properties);
				pools(servers, pools);
			}
			case STANDALONE -> {
				SingleServerConfig server = config.useSingleServer()
					.setAddress(address(scheme, target.nodes().get(0)))
					.setDatabase(target.database());
				common(server, properties);
				server.setConnectionPoolSize(pools.connections())
					.setConnectionMinimumIdleSize(pools.minimumIdle())
					.setSubscriptionConnectionPoolSize(pools.subscriptionConnections())
					.setSubscriptionConnectionMinimumIdleSize(pools.subscriptionMinimumIdle());
			}
		}
		if (target.sslBundle() != null) {
			ssl(config, target.sslBundle());
		}
		return config;
	}

	private static void common(BaseConfig<?> servers, SpringDataRedisProperties properties) {
		if (properties.getTimeout() != null) {
			servers.setTimeout(millis(properties.getTimeout()));
		}
		if (properties.getConnectTimeout() != null) {
			servers.setConnectTimeout(millis(properties.getConnectTimeout()));
		}
		if (StringUtils.hasText(properties.getClientName())) {
			servers.setClientName(properties.getClientName());
		}
	}

	private static void pools(BaseMasterSlaveServersConfig<?> servers, Pools pools) {
		servers.setMasterConnectionPoolSize(pools.connections())
			.setMasterConnectionMinimumIdleSize(pools.minimumIdle())
			.setSlaveConnectionPoolSize(pools.connections())
			.setSlaveConnectionMinimumIdleSize(pools.minimumIdle())
			.setSubscriptionConnectionPoolSize(pools.subscriptionConnections())
			.setSubscriptionConnectionMinimumIdleSize(pools.subscriptionMinimumIdle());
	}

	private static void ssl(Config config, SslBundle bundle) {
		SslManagerBundle managers = bundle.getManagers();
		config.setSslKeyManagerFactory(managers.getKeyManagerFactory());
		config.setSslTrustManagerFactory(managers.getTrustManagerFactory());
		SslOptions options = bundle.getOptions();
		if (options != null && options.getEnabledProtocols() != null) {
			config.setSslProtocols(options.getEnabledProtocols());
		}
		if (options != null && options.getCiphers() != null) {
			config.setSslCiphers(options.getCiphers());
		}
	}

	private static String address(String scheme, RedisTarget.Node node) {
		String host = node.host();
		if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		return scheme + host + ":" + node.port();
	}

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(0, duration.toMillis()));
	}

	/**
	 * Connection pool sizes of the client, per Redis server.
	 *
	 * @param connections most connections for commands and scripts
	 * @param minimumIdle connections for commands kept open when idle
	 * @param subscriptionConnections most connections for subscriptions
	 * @param subscriptionMinimumIdle connections for subscriptions kept open when idle
	 */
	public record Pools(int connections, int minimumIdle, int subscriptionConnections, int subscriptionMinimumIdle) {

		/**
		 * The starter's defaults: 8 and 2 for commands, 2 and 1 for subscriptions.
		 */
		public static final Pools DEFAULT = new Pools(8, 2, 2, 1);

	}

}
