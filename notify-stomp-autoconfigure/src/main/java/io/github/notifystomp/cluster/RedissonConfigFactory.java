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

package io.github.notifystomp.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SentinelServersConfig;

import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Builds a Redisson configuration from Spring Boot's {@code spring.data.redis.*} settings
 * (or from a {@link RedisConnectionDetails} bean, such as a Testcontainers service
 * connection), so that an application that already configures Redis needs no new
 * settings. Sentinel wins over cluster, and cluster over a single server, as in Boot.
 * <p>
 * The client connects lazily: a node that starts while Redis is down still starts and
 * joins when Redis answers. Its default codec is plain strings, never Redisson's Kryo
 * default.
 */
public final class RedissonConfigFactory {

	private RedissonConfigFactory() {
	}

	/**
	 * Adapt Boot's Redis properties to connection details, the way Boot itself does when
	 * Spring Data Redis is present.
	 * @param properties the {@code spring.data.redis} properties
	 * @param sslBundles the SSL bundles, or {@code null} if none are configured
	 * @return the connection details
	 */
	public static RedisConnectionDetails connectionDetails(RedisProperties properties, SslBundles sslBundles) {
		return new PropertiesConnectionDetails(properties, sslBundles);
	}

	/**
	 * Build the configuration.
	 * @param connection where Redis is and how to log in
	 * @param properties timeouts and client name of {@code spring.data.redis}
	 * @return a configuration with lazy initialization and a string codec
	 */
	public static Config create(RedisConnectionDetails connection, RedisProperties properties) {
		Config config = new Config();
		config.setLazyInitialization(true);
		config.setCodec(StringCodec.INSTANCE);
		config.setUsername(connection.getUsername());
		config.setPassword(connection.getPassword());
		boolean urlSsl = properties.getUrl() != null && properties.getUrl().startsWith("rediss:");
		SslBundle ssl;
		if (connection.getSentinel() != null) {
			RedisConnectionDetails.Sentinel sentinel = connection.getSentinel();
			ssl = sentinel.getSslBundle();
			String scheme = scheme(ssl != null || urlSsl);
			SentinelServersConfig servers = config.useSentinelServers()
				.setMasterName(sentinel.getMaster())
				.setDatabase(sentinel.getDatabase())
				// Boot accepts a single sentinel; so do we
				.setCheckSentinelsList(false);
			sentinel.getNodes().forEach((node) -> servers.addSentinelAddress(address(scheme, node)));
			if (sentinel.getUsername() != null) {
				servers.setSentinelUsername(sentinel.getUsername());
			}
			if (sentinel.getPassword() != null) {
				servers.setSentinelPassword(sentinel.getPassword());
			}
			common(servers, properties);
		}
		else if (connection.getCluster() != null) {
			RedisConnectionDetails.Cluster cluster = connection.getCluster();
			ssl = cluster.getSslBundle();
			String scheme = scheme(ssl != null || urlSsl);
			ClusterServersConfig servers = config.useClusterServers();
			cluster.getNodes().forEach((node) -> servers.addNodeAddress(address(scheme, node)));
			common(servers, properties);
		}
		else {
			RedisConnectionDetails.Standalone standalone = connection.getStandalone();
			ssl = standalone.getSslBundle();
			common(config.useSingleServer()
				.setAddress(address(scheme(ssl != null || urlSsl),
						new RedisConnectionDetails.Node(standalone.getHost(), standalone.getPort())))
				.setDatabase(standalone.getDatabase()), properties);
		}
		if (ssl != null) {
			ssl(config, ssl);
		}
		return config;
	}

	private static void common(BaseConfig<?> servers, RedisProperties properties) {
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

	private static String scheme(boolean ssl) {
		return ssl ? "rediss://" : "redis://";
	}

	private static String address(String scheme, RedisConnectionDetails.Node node) {
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
	 * {@link RedisConnectionDetails} read from {@link RedisProperties}, with the same
	 * precedence as Boot: the URL, when set, wins over host, port, database and
	 * credentials.
	 */
	private static final class PropertiesConnectionDetails implements RedisConnectionDetails {

		private final RedisProperties properties;

		private final SslBundles sslBundles;

		private final URI url;

		PropertiesConnectionDetails(RedisProperties properties, SslBundles sslBundles) {
			this.properties = properties;
			this.sslBundles = sslBundles;
			this.url = parse(properties.getUrl());
		}

		@Override
		public String getUsername() {
			return (this.url != null) ? credentials()[0] : this.properties.getUsername();
		}

		@Override
		public String getPassword() {
			return (this.url != null) ? credentials()[1] : this.properties.getPassword();
		}

		@Override
		public Standalone getStandalone() {
			if (this.url != null) {
				return Standalone.of(this.url.getHost(), (this.url.getPort() > 0) ? this.url.getPort() : 6379,
						database(this.url), sslBundle());
			}
			return Standalone.of(this.properties.getHost(), this.properties.getPort(), this.properties.getDatabase(),
					sslBundle());
		}

		@Override
		public Sentinel getSentinel() {
			RedisProperties.Sentinel sentinel = this.properties.getSentinel();
			if (sentinel == null) {
				return null;
			}
			int database = getStandalone().getDatabase();
			SslBundle ssl = sslBundle();
			return new Sentinel() {

				@Override
				public int getDatabase() {
					return database;
				}

				@Override
				public String getMaster() {
					return sentinel.getMaster();
				}

				@Override
				public List<Node> getNodes() {
					return nodes(sentinel.getNodes());
				}

				@Override
				public String getUsername() {
					return sentinel.getUsername();
				}

				@Override
				public String getPassword() {
					return sentinel.getPassword();
				}

				@Override
				public SslBundle getSslBundle() {
					return ssl;
				}

			};
		}

		@Override
		public Cluster getCluster() {
			RedisProperties.Cluster cluster = this.properties.getCluster();
			if (cluster == null) {
				return null;
			}
			List<Node> nodes = nodes(cluster.getNodes());
			SslBundle ssl = sslBundle();
			return new Cluster() {

				@Override
				public List<Node> getNodes() {
					return nodes;
				}

				@Override
				public SslBundle getSslBundle() {
					return ssl;
				}

			};
		}

		private SslBundle sslBundle() {
			if (!this.properties.getSsl().isEnabled()) {
				return null;
			}
			String bundle = this.properties.getSsl().getBundle();
			if (StringUtils.hasLength(bundle)) {
				if (this.sslBundles == null) {
					throw new IllegalStateException("spring.data.redis.ssl.bundle is set to '" + bundle
							+ "' but no SSL bundles are configured");
				}
				return this.sslBundles.getBundle(bundle);
			}
			return SslBundle.systemDefault();
		}

		private String[] credentials() {
			String userInfo = this.url.getUserInfo();
			if (userInfo == null) {
				return new String[2];
			}
			int colon = userInfo.indexOf(':');
			return (colon >= 0) ? new String[] { userInfo.substring(0, colon), userInfo.substring(colon + 1) }
					: new String[] { null, userInfo };
		}

		private static URI parse(String url) {
			if (!StringUtils.hasText(url)) {
				return null;
			}
			try {
				URI uri = new URI(url);
				if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
					throw new IllegalArgumentException(
							"spring.data.redis.url must start with redis:// or rediss://, not '" + uri.getScheme()
									+ "'");
				}
				return uri;
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("spring.data.redis.url is not a valid URL", ex);
			}
		}

		private static int database(URI uri) {
			String path = uri.getPath();
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

	}

}
