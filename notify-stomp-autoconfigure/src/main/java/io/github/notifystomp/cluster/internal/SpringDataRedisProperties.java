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
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Spring Boot's {@code spring.data.redis.*} settings, read by the starter itself: the
 * class Boot binds them to moved in Spring Boot 4 ({@code RedisProperties} became
 * {@code DataRedisProperties}), and it exists only when Spring Data Redis is on the class
 * path, which a Redisson application does not need. The keys and their meaning are
 * Boot's; only those a Redisson client can use are read.
 */
public class SpringDataRedisProperties {

	private String url;

	private String host = "localhost";

	private int port = 6379;

	private int database;

	private String username;

	private String password;

	private Duration timeout;

	private Duration connectTimeout;

	private String clientName;

	private final Ssl ssl = new Ssl();

	private Sentinel sentinel;

	private Cluster cluster;

	private Masterreplica masterreplica;

	/**
	 * Read {@code spring.data.redis.*} from an environment.
	 * @param environment the environment
	 * @return the settings, Boot's defaults where nothing is set
	 */
	public static SpringDataRedisProperties of(Environment environment) {
		return Binder.get(environment)
			.bind("spring.data.redis", SpringDataRedisProperties.class)
			.orElseGet(SpringDataRedisProperties::new);
	}

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.url = url;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getDatabase() {
		return this.database;
	}

	public void setDatabase(int database) {
		this.database = database;
	}

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public String getClientName() {
		return this.clientName;
	}

	public void setClientName(String clientName) {
		this.clientName = clientName;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Sentinel getSentinel() {
		return this.sentinel;
	}

	public void setSentinel(Sentinel sentinel) {
		this.sentinel = sentinel;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public void setCluster(Cluster cluster) {
		this.cluster = cluster;
	}

	public Masterreplica getMasterreplica() {
		return this.masterreplica;
	}

	public void setMasterreplica(Masterreplica masterreplica) {
		this.masterreplica = masterreplica;
	}

	/**
	 * Whether the URL asks for TLS ({@code rediss://}).
	 * @return {@code true} for a {@code rediss://} URL
	 */
	public boolean isUrlTls() {
		return this.url != null && this.url.startsWith("rediss:");
	}

	/**
	 * {@code spring.data.redis.ssl.*}.
	 */
	public static class Ssl {

		private Boolean enabled;

		private String bundle;

		/**
		 * Whether TLS is on: as set, else on when a bundle is named, as in Boot.
		 * @return whether TLS is on
		 */
		public boolean isEnabled() {
			return (this.enabled != null) ? this.enabled : StringUtils.hasText(this.bundle);
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * {@code spring.data.redis.sentinel.*}.
	 */
	public static class Sentinel {

		private String master;

		private List<String> nodes = new ArrayList<>();

		private String username;

		private String password;

		public String getMaster() {
			return this.master;
		}

		public void setMaster(String master) {
			this.master = master;
		}

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

	}

	/**
	 * {@code spring.data.redis.cluster.*}.
	 */
	public static class Cluster {

		private List<String> nodes = new ArrayList<>();

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

	}

	/**
	 * {@code spring.data.redis.masterreplica.*} (Spring Boot 4).
	 */
	public static class Masterreplica {

		private List<String> nodes = new ArrayList<>();

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

	}

}
