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

package io.github.notifystomp.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration properties for notify-stomp.
 * <p>
 * Units: a time may be written with its unit ({@code 500ms}, {@code 10s}, {@code 5m},
 * {@code 2h}, {@code 30d}); a bare number means seconds, except for
 * {@code store.retention}, where it means days. A size may be written with its unit
 * ({@code 64KB}, {@code 1MB}); a bare number means bytes.
 */
@ConfigurationProperties("notify.stomp")
public class NotifyStompProperties implements InitializingBean {

	/**
	 * Whether to enable STOMP notifications.
	 */
	private boolean enabled = true;

	/**
	 * Path of the native WebSocket STOMP endpoint.
	 */
	private String endpoint = "/ws";

	/**
	 * Comma-separated list of origin patterns allowed to open the WebSocket (for example
	 * https://*.example.com). Empty allows only the same origin.
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>();

	/**
	 * Destination of per-user messages, without the user prefix: clients subscribe to it
	 * under /user.
	 */
	private String userDestination = "/queue/notify";

	/**
	 * Destination of broadcasts.
	 */
	private String broadcastDestination = "/topic/notify";

	/**
	 * Prefix of the destinations clients may send to (handled by @MessageMapping
	 * methods).
	 */
	private String applicationDestinationPrefix = "/app";

	/**
	 * Comma-separated list of further Ant-style destination patterns clients may
	 * subscribe to.
	 */
	private List<String> extraSubscribePatterns = new ArrayList<>();

	/**
	 * Whether sending a message of a type that is not registered fails.
	 */
	private boolean strictTypes;

	/**
	 * Message types and the fully qualified class their payload must be an instance of.
	 */
	private Map<String, String> types = new LinkedHashMap<>();

	/**
	 * Largest serialized payload a message may carry, such as 64KB; a bare number means
	 * bytes.
	 */
	// null unless the deprecated key is set; applied to limits.max-payload-size
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxPayloadSize;

	private final Limits limits = new Limits();

	// new key to the deprecated key whose value it took, both relative to notify.stomp
	private final Map<String, String> appliedDeprecatedKeys = new LinkedHashMap<>();

	private final Sockjs sockjs = new Sockjs();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Transport transport = new Transport();

	private final Auth auth = new Auth();

	private final Cluster cluster = new Cluster();

	private final Store store = new Store();

	private final Delivery delivery = new Delivery();

	private final Shutdown shutdown = new Shutdown();

	/**
	 * Create properties with their defaults.
	 */
	public NotifyStompProperties() {
		this.auth.limits = this.limits;
		this.delivery.limits = this.limits;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(String endpoint) {
		this.endpoint = endpoint;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public String getUserDestination() {
		return this.userDestination;
	}

	public void setUserDestination(String userDestination) {
		this.userDestination = userDestination;
	}

	public String getBroadcastDestination() {
		return this.broadcastDestination;
	}

	public void setBroadcastDestination(String broadcastDestination) {
		this.broadcastDestination = broadcastDestination;
	}

	public String getApplicationDestinationPrefix() {
		return this.applicationDestinationPrefix;
	}

	public void setApplicationDestinationPrefix(String applicationDestinationPrefix) {
		this.applicationDestinationPrefix = applicationDestinationPrefix;
	}

	public List<String> getExtraSubscribePatterns() {
		return this.extraSubscribePatterns;
	}

	public void setExtraSubscribePatterns(List<String> extraSubscribePatterns) {
		this.extraSubscribePatterns = extraSubscribePatterns;
	}

	public boolean isStrictTypes() {
		return this.strictTypes;
	}

	public void setStrictTypes(boolean strictTypes) {
		this.strictTypes = strictTypes;
	}

	public Map<String, String> getTypes() {
		return this.types;
	}

	public void setTypes(Map<String, String> types) {
		this.types = types;
	}

	/**
	 * Return the largest payload, from its new place.
	 * @return the value of notify.stomp.limits.max-payload-size
	 * @deprecated since 0.1.0 for removal, in favour of
	 * {@code notify.stomp.limits.max-payload-size}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "notify.stomp.limits.max-payload-size",
			reason = "every limit is under notify.stomp.limits", since = "0.1.0")
	public DataSize getMaxPayloadSize() {
		return this.limits.getMaxPayloadSize();
	}

	/**
	 * Set the largest payload under its deprecated name.
	 * @param maxPayloadSize the size
	 * @deprecated since 0.1.0 for removal, in favour of
	 * {@code notify.stomp.limits.max-payload-size}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public Sockjs getSockjs() {
		return this.sockjs;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public Auth getAuth() {
		return this.auth;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public Store getStore() {
		return this.store;
	}

	public Delivery getDelivery() {
		return this.delivery;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * Return the user destination as clients subscribe to it.
	 * @return the destination with the {@code /user} prefix
	 */
	public String getClientUserDestination() {
		return "/user" + this.userDestination;
	}

	@Override
	public void afterPropertiesSet() {
		applyDeprecatedKeys();
		new NotifyStompPropertiesValidator(this).validate();
	}

	/**
	 * Apply each deprecated key that is set to the property that replaces it, unless that
	 * one is set too: then the new key wins.
	 */
	private void applyDeprecatedKeys() {
		if (this.maxPayloadSize != null && !this.limits.isSet(Limits.MAX_PAYLOAD_SIZE)) {
			this.limits.maxPayloadSize = this.maxPayloadSize;
			this.appliedDeprecatedKeys.put("limits.max-payload-size", "max-payload-size");
		}
		if (this.auth.maxSessionsPerUser != null && !this.limits.isSet(Limits.MAX_SESSIONS_PER_USER)) {
			this.limits.maxSessionsPerUser = this.auth.maxSessionsPerUser;
			this.appliedDeprecatedKeys.put("limits.max-sessions-per-user", "auth.max-sessions-per-user");
		}
		if (this.delivery.maxUnackedPerSubscription != null
				&& !this.limits.isSet(Limits.MAX_UNACKED_PER_SUBSCRIPTION)) {
			this.limits.maxUnackedPerSubscription = this.delivery.maxUnackedPerSubscription;
			this.appliedDeprecatedKeys.put("limits.max-unacked-per-subscription",
					"delivery.max-unacked-per-subscription");
		}
	}

	/**
	 * Return the key, relative to notify.stomp, that a property's value came from: its
	 * deprecated key when that one was applied, so that a failure names what the user
	 * wrote.
	 */
	String sourceKey(String key) {
		return this.appliedDeprecatedKeys.getOrDefault(key, key);
	}

	/**
	 * SockJS fallback properties.
	 */
	public static class Sockjs {

		/**
		 * Whether to also serve a SockJS fallback at the endpoint path followed by
		 * -sockjs.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * STOMP heart-beat properties.
	 */
	public static class Heartbeat {

		/**
		 * Interval at which the server sends heart-beats, such as 10s; 0 for none,
		 * otherwise at least 1s. A bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration server = Duration.ofSeconds(10);

		/**
		 * Interval at which the server expects heart-beats from clients, such as 10s; 0
		 * for none, otherwise at least 1s. A bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration client = Duration.ofSeconds(10);

		/**
		 * Longest time a WebSocket connection may stay without any inbound traffic before
		 * it is closed as dead, such as 60s, whatever heart-beats its client asked for
		 * (also "0,0"): the server sends WebSocket pings, which every WebSocket client
		 * answers, so only a connection whose network vanished stays silent. At least 2s;
		 * a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration idleTimeout = Duration.ofSeconds(60);

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getServer() {
			return this.server;
		}

		public void setServer(Duration server) {
			this.server = server;
		}

		public Duration getClient() {
			return this.client;
		}

		public void setClient(Duration client) {
			this.client = client;
		}

	}

	/**
	 * WebSocket transport limits.
	 */
	public static class Transport {

		/**
		 * Largest inbound STOMP frame, also when split over several WebSocket messages,
		 * such as 64KB; a larger one closes that session. At least 1KB; a bare number
		 * means bytes.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize messageSizeLimit = DataSize.ofKilobytes(64);

		/**
		 * Buffer the servlet container keeps per connection for inbound WebSocket
		 * messages (Tomcat), such as 1KB; a larger message arrives in parts and takes
		 * more memory only while it is in flight, up to message-size-limit. At least
		 * 128B; a bare number means bytes.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize inboundBufferSize = DataSize.ofKilobytes(1);

		/**
		 * Most message data waiting to be written to one session that cannot keep up,
		 * such as 512KB; beyond it the slow consumer policy applies. At least 1KB; a bare
		 * number means bytes.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize sendBufferSizeLimit = DataSize.ofKilobytes(512);

		/**
		 * Most bytes of the frames waiting for one session that are written together as
		 * one WebSocket message, such as 8KB (STOMP allows several frames in one message;
		 * a frame that waits alone, or a larger one, is written on its own at once); 0
		 * writes every frame in a message of its own, for clients that read only one
		 * frame per message. 0 or 1KB to 1MB; a bare number means bytes.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize coalesceSizeLimit = DataSize.ofKilobytes(8);

		/**
		 * Longest time one send to a session may take, such as 10s; beyond it the session
		 * is closed. At least 1s; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/**
		 * Time a new WebSocket has to send its CONNECT frame before it is closed, such as
		 * 10s. At least 1s; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * Most messages waiting to be written to one session; beyond it the slow consumer
		 * policy applies.
		 */
		private int outboundQueueLimit = 1000;

		/**
		 * What happens to a session whose outbound queue is full.
		 */
		private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.TERMINATE;

		private final SlowConsumerThrottle slowConsumerThrottle = new SlowConsumerThrottle();

		public SlowConsumerThrottle getSlowConsumerThrottle() {
			return this.slowConsumerThrottle;
		}

		public DataSize getMessageSizeLimit() {
			return this.messageSizeLimit;
		}

		public void setMessageSizeLimit(DataSize messageSizeLimit) {
			this.messageSizeLimit = messageSizeLimit;
		}

		public DataSize getInboundBufferSize() {
			return this.inboundBufferSize;
		}

		public void setInboundBufferSize(DataSize inboundBufferSize) {
			this.inboundBufferSize = inboundBufferSize;
		}

		public DataSize getSendBufferSizeLimit() {
			return this.sendBufferSizeLimit;
		}

		public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
			this.sendBufferSizeLimit = sendBufferSizeLimit;
		}

		public DataSize getCoalesceSizeLimit() {
			return this.coalesceSizeLimit;
		}

		public void setCoalesceSizeLimit(DataSize coalesceSizeLimit) {
			this.coalesceSizeLimit = coalesceSizeLimit;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public int getOutboundQueueLimit() {
			return this.outboundQueueLimit;
		}

		public void setOutboundQueueLimit(int outboundQueueLimit) {
			this.outboundQueueLimit = outboundQueueLimit;
		}

		public SlowConsumerPolicy getSlowConsumerPolicy() {
			return this.slowConsumerPolicy;
		}

		public void setSlowConsumerPolicy(SlowConsumerPolicy slowConsumerPolicy) {
			this.slowConsumerPolicy = slowConsumerPolicy;
		}

		/**
		 * CONNECTs refused to a user whose sessions keep being closed as slow consumers.
		 */
		public static class SlowConsumerThrottle {

			/**
			 * Sessions of one user closed as slow consumers within the window that are
			 * tolerated; beyond it the user's CONNECTs are refused until the oldest of
			 * them leaves the window. 0 turns the throttle off.
			 */
			private int maxCloses = 10;

			/**
			 * Time window of the count, such as 1m. At least 1s; a bare number means
			 * seconds.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private Duration window = Duration.ofMinutes(1);

			public int getMaxCloses() {
				return this.maxCloses;
			}

			public void setMaxCloses(int maxCloses) {
				this.maxCloses = maxCloses;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

		}

		/**
		 * What happens to a session whose outbound queue is full.
		 */
		public enum SlowConsumerPolicy {

			/**
			 * Close the session with status 4500; its client reconnects and gets its
			 * stored messages by replay.
			 */
			TERMINATE,

			/**
			 * Drop the messages that are not stored (broadcasts, transient messages); a
			 * stored message still closes the session.
			 */
			DROP_NEWEST

		}

	}

	/**
	 * CONNECT authentication properties.
	 */
	public static class Auth {

		/**
		 * CONNECT header that carries "Bearer <token>".
		 */
		private String header = "Authorization";

		/**
		 * Most sessions one user may have open at once (cluster-wide in cluster mode).
		 */
		// null unless the deprecated key is set; applied to limits.max-sessions-per-user
		private Integer maxSessionsPerUser;

		// where the deprecated key's getter reads from; set by the enclosing class (a
		// constructor argument would make the binder bind through the constructor)
		private Limits limits;

		/**
		 * What a CONNECT beyond the per-user session limit does.
		 */
		private SessionLimitPolicy sessionLimitPolicy = SessionLimitPolicy.CLOSE_OLDEST;

		/**
		 * Longest token accepted; longer ones are refused without being parsed.
		 */
		private int maxTokenLength = 8192;

		/**
		 * Whether to take the token itself as the user id, when no TokenResolver bean
		 * exists. Anyone can then connect as anyone: for local development only.
		 */
		private boolean insecureDevTokens;

		private final Jwt jwt = new Jwt();

		private final FailureThrottle failureThrottle = new FailureThrottle();

		private final Ticket ticket = new Ticket();

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		/**
		 * Return the session limit, from its new place.
		 * @return the value of notify.stomp.limits.max-sessions-per-user
		 * @deprecated since 0.1.0 for removal, in favour of
		 * {@code notify.stomp.limits.max-sessions-per-user}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "notify.stomp.limits.max-sessions-per-user",
				reason = "every limit is under notify.stomp.limits", since = "0.1.0")
		public Integer getMaxSessionsPerUser() {
			return this.limits.getMaxSessionsPerUser();
		}

		/**
		 * Set the session limit under its deprecated name.
		 * @param maxSessionsPerUser the limit
		 * @deprecated since 0.1.0 for removal, in favour of
		 * {@code notify.stomp.limits.max-sessions-per-user}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setMaxSessionsPerUser(Integer maxSessionsPerUser) {
			this.maxSessionsPerUser = maxSessionsPerUser;
		}

		public SessionLimitPolicy getSessionLimitPolicy() {
			return this.sessionLimitPolicy;
		}

		public void setSessionLimitPolicy(SessionLimitPolicy sessionLimitPolicy) {
			this.sessionLimitPolicy = sessionLimitPolicy;
		}

		/**
		 * What a CONNECT beyond the per-user session limit does.
		 */
		public enum SessionLimitPolicy {

			/**
			 * Close the user's longest-connected session, on whichever node holds it (it
			 * gets an ERROR saying it was replaced), and accept the new one.
			 */
			CLOSE_OLDEST,

			/**
			 * Refuse the new session.
			 */
			REJECT_NEW

		}

		public int getMaxTokenLength() {
			return this.maxTokenLength;
		}

		public void setMaxTokenLength(int maxTokenLength) {
			this.maxTokenLength = maxTokenLength;
		}

		public boolean isInsecureDevTokens() {
			return this.insecureDevTokens;
		}

		public void setInsecureDevTokens(boolean insecureDevTokens) {
			this.insecureDevTokens = insecureDevTokens;
		}

		public Jwt getJwt() {
			return this.jwt;
		}

		public FailureThrottle getFailureThrottle() {
			return this.failureThrottle;
		}

		public Ticket getTicket() {
			return this.ticket;
		}

		/**
		 * CONNECT tickets for applications whose users log in with a session cookie.
		 */
		public static class Ticket {

			/**
			 * Whether to serve the ticket endpoint: a POST there by an authenticated user
			 * (Spring Security) returns a short-lived, single-use ticket that the CONNECT
			 * presents as "Bearer <ticket>".
			 */
			private boolean enabled;

			/**
			 * Path of the ticket endpoint.
			 */
			private String path = "/notify/ticket";

			/**
			 * How long a ticket is valid after it is issued, such as 30s. From 1s to 10m;
			 * a bare number means seconds.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private Duration ttl = Duration.ofSeconds(30);

			/**
			 * Secret, at least 32 characters, that signs tickets (HMAC-SHA256). Required
			 * in cluster mode, the same on every node; on a single node a random one is
			 * generated at startup when not set.
			 */
			private String secret;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public String getPath() {
				return this.path;
			}

			public void setPath(String path) {
				this.path = path;
			}

			public Duration getTtl() {
				return this.ttl;
			}

			public void setTtl(Duration ttl) {
				this.ttl = ttl;
			}

			public String getSecret() {
				return this.secret;
			}

			public void setSecret(String secret) {
				this.secret = secret;
			}

		}

		/**
		 * Throttling of clients whose CONNECTs keep failing.
		 */
		public static class FailureThrottle {

			/**
			 * Refused CONNECTs from one address within the window after which the address
			 * is reported with a warning. Valid tokens are never throttled; a token
			 * refused 3 times within the window is refused without being resolved again.
			 * The address is the one the application sees: behind a proxy, set
			 * server.forward-headers-strategy. 0 to turn counting off.
			 */
			private int maxFailures = 20;

			/**
			 * Time window in which refused CONNECTs of one address or token are counted,
			 * such as 1m. At least 1s; a bare number means seconds.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private Duration window = Duration.ofMinutes(1);

			public int getMaxFailures() {
				return this.maxFailures;
			}

			public void setMaxFailures(int maxFailures) {
				this.maxFailures = maxFailures;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

		}

		/**
		 * JWT resolver properties, used when a JwtDecoder bean exists.
		 */
		public static class Jwt {

			/**
			 * JWT claim that holds the user id, overriding Spring Security's principal
			 * name (the application's JwtAuthenticationConverter bean, or
			 * spring.security.oauth2.resourceserver.jwt.principal-claim-name, sub by
			 * default). Unset, the STOMP user is the same as Authentication.getName()
			 * over HTTP.
			 */
			private String userClaim;

			public String getUserClaim() {
				return this.userClaim;
			}

			public void setUserClaim(String userClaim) {
				this.userClaim = userClaim;
			}

		}

	}

	/**
	 * Cluster properties.
	 */
	public static class Cluster {

		/**
		 * Whether to deliver across nodes through Redis.
		 */
		private boolean enabled;

		/**
		 * How user messages reach other nodes.
		 */
		private Routing routing = Routing.TARGETED;

		/**
		 * Id of this node; unique per running node. Generated when not set.
		 */
		private String nodeId;

		/**
		 * Prefix of every Redis key and channel the starter uses.
		 */
		private String keyPrefix = "notify-stomp";

		/**
		 * How long a node's presence entries count after its last renewal, such as 15s; a
		 * node that dies without cleaning up stops receiving messages after this time. At
		 * least 1s; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration presenceLease = Duration.ofSeconds(15);

		/**
		 * Longest time a relay publish may block the sender when Redis is slow or down,
		 * such as 2s or 500ms. At least 100ms; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration publishTimeout = Duration.ofSeconds(2);

		/**
		 * Most user messages a node queues for relaying to other nodes. A send waits for
		 * room at most the publish timeout when the queue is full; then a stored message
		 * is left to the catch-up from the store and a transient one is dropped.
		 */
		private int relayQueueLimit = 2048;

		/**
		 * Longest time a queued relay waits for other messages to join its batch before
		 * it is published, such as 1ms; 0 publishes what is queued at once. At most
		 * 100ms; a bare number means milliseconds.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration relayBatchDelay = Duration.ofMillis(1);

		/**
		 * Most user messages published to Redis in one relay batch; 1 publishes every
		 * message alone, as nodes before batching expect during a rolling upgrade, and
		 * without the numbers from which a node counts relayed messages lost on the way.
		 */
		private int relayMaxBatchSize = 256;

		/**
		 * Secret, the same on every node and at least 32 characters, that signs relay
		 * messages (HMAC-SHA256); nodes then drop any message on the relay channels that
		 * it did not sign. Unset, relay messages are not signed and Redis must be
		 * reachable only by the nodes.
		 */
		private String relaySecret;

		/**
		 * Most connections for commands and scripts that the Redis client the starter
		 * builds opens to each Redis server. Not used when the application defines its
		 * own RedissonClient.
		 */
		private int connectionPoolSize = 8;

		/**
		 * Connections for commands and scripts that the Redis client the starter builds
		 * keeps open to each Redis server when idle.
		 */
		private int connectionMinimumIdleSize = 2;

		/**
		 * Most connections for subscriptions (the relay channels) that the Redis client
		 * the starter builds opens to each Redis server.
		 */
		private int subscriptionConnectionPoolSize = 2;

		/**
		 * Connections for subscriptions that the Redis client the starter builds keeps
		 * open to each Redis server when idle.
		 */
		private int subscriptionConnectionMinimumIdleSize = 1;

		public int getConnectionPoolSize() {
			return this.connectionPoolSize;
		}

		public void setConnectionPoolSize(int connectionPoolSize) {
			this.connectionPoolSize = connectionPoolSize;
		}

		public int getConnectionMinimumIdleSize() {
			return this.connectionMinimumIdleSize;
		}

		public void setConnectionMinimumIdleSize(int connectionMinimumIdleSize) {
			this.connectionMinimumIdleSize = connectionMinimumIdleSize;
		}

		public int getSubscriptionConnectionPoolSize() {
			return this.subscriptionConnectionPoolSize;
		}

		public void setSubscriptionConnectionPoolSize(int subscriptionConnectionPoolSize) {
			this.subscriptionConnectionPoolSize = subscriptionConnectionPoolSize;
		}

		public int getSubscriptionConnectionMinimumIdleSize() {
			return this.subscriptionConnectionMinimumIdleSize;
		}

		public void setSubscriptionConnectionMinimumIdleSize(int subscriptionConnectionMinimumIdleSize) {
			this.subscriptionConnectionMinimumIdleSize = subscriptionConnectionMinimumIdleSize;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Routing getRouting() {
			return this.routing;
		}

		public void setRouting(Routing routing) {
			this.routing = routing;
		}

		public String getNodeId() {
			return this.nodeId;
		}

		public void setNodeId(String nodeId) {
			this.nodeId = nodeId;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getPresenceLease() {
			return this.presenceLease;
		}

		public void setPresenceLease(Duration presenceLease) {
			this.presenceLease = presenceLease;
		}

		public Duration getPublishTimeout() {
			return this.publishTimeout;
		}

		public String getRelaySecret() {
			return this.relaySecret;
		}

		public void setRelaySecret(String relaySecret) {
			this.relaySecret = relaySecret;
		}

		public void setPublishTimeout(Duration publishTimeout) {
			this.publishTimeout = publishTimeout;
		}

		public int getRelayQueueLimit() {
			return this.relayQueueLimit;
		}

		public void setRelayQueueLimit(int relayQueueLimit) {
			this.relayQueueLimit = relayQueueLimit;
		}

		public Duration getRelayBatchDelay() {
			return this.relayBatchDelay;
		}

		public void setRelayBatchDelay(Duration relayBatchDelay) {
			this.relayBatchDelay = relayBatchDelay;
		}

		public int getRelayMaxBatchSize() {
			return this.relayMaxBatchSize;
		}

		public void setRelayMaxBatchSize(int relayMaxBatchSize) {
			this.relayMaxBatchSize = relayMaxBatchSize;
		}

		/**
		 * How user messages reach other nodes.
		 */
		public enum Routing {

			/**
			 * Only to the nodes that hold a session of the user.
			 */
			TARGETED,

			/**
			 * To every node, which drops what it does not need.
			 */
			BROADCAST

		}

	}

	/**
	 * Message store properties.
	 */
	public static class Store {

		/**
		 * Which store keeps user messages for replay.
		 */
		private StoreType type = StoreType.AUTO;

		/**
		 * How long stored messages are kept, such as 30d or 12h. At least 1m; a bare
		 * number means days.
		 */
		@DurationUnit(ChronoUnit.DAYS)
		private Duration retention = Duration.ofDays(30);

		/**
		 * How often expired messages are deleted, such as 1h. At least 1s; a bare number
		 * means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration cleanupInterval = Duration.ofHours(1);

		/**
		 * Longest time a call of the JDBC store waits for a database connection, and then
		 * for its statements, such as 5s; a send that does not get its message stored in
		 * time fails. At least 1s; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout = Duration.ofSeconds(5);

		private final Memory memory = new Memory();

		private final Jdbc jdbc = new Jdbc();

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Memory getMemory() {
			return this.memory;
		}

		public Jdbc getJdbc() {
			return this.jdbc;
		}

		/**
		 * Which store keeps user messages.
		 */
		public enum StoreType {

			/**
			 * JDBC when a DataSource exists, otherwise memory.
			 */
			AUTO,

			/**
			 * The application's DataSource.
			 */
			JDBC,

			/**
			 * This node's memory: bounded, per node, lost on restart.
			 */
			MEMORY,

			/**
			 * No store: messages are not replayed or redelivered.
			 */
			NONE

		}

		/**
		 * In-memory store properties.
		 */
		public static class Memory {

			/**
			 * Most messages kept per user; older ones are dropped.
			 */
			private int maxMessagesPerUser = 1000;

			public int getMaxMessagesPerUser() {
				return this.maxMessagesPerUser;
			}

			public void setMaxMessagesPerUser(int maxMessagesPerUser) {
				this.maxMessagesPerUser = maxMessagesPerUser;
			}

		}

		/**
		 * JDBC store properties.
		 */
		public static class Jdbc {

			/**
			 * When to create the store's tables at startup if they are missing: embedded
			 * for an embedded database (H2, HSQLDB, Derby) only, always, or never (the
			 * schema is managed elsewhere: Flyway, Liquibase).
			 */
			private InitializationMode initializationMode = InitializationMode.EMBEDDED;

			/**
			 * Whether to create the store's tables at startup when they are missing.
			 */
			// null unless set: true is always, false never, unless the mode is set too
			private Boolean initializeSchema;

			private boolean initializationModeSet;

			/**
			 * Prefix of the store's table names.
			 */
			private String tablePrefix = "notify_";

			/**
			 * Most messages, sent outside a transaction of the application, that are
			 * stored together in one transaction (group commit): senders that send at the
			 * same time share a commit, and nothing waits for a batch to fill. 1 stores
			 * each message in a transaction of its own.
			 */
			private int maxBatchSize = 100;

			public InitializationMode getInitializationMode() {
				if (!this.initializationModeSet && this.initializeSchema != null) {
					return this.initializeSchema ? InitializationMode.ALWAYS : InitializationMode.NEVER;
				}
				return this.initializationMode;
			}

			public void setInitializationMode(InitializationMode initializationMode) {
				this.initializationMode = initializationMode;
				this.initializationModeSet = true;
			}

			/**
			 * Whether to create the store's tables at startup when they are missing.
			 * @return the value set, or {@code null} when it was not set
			 * @deprecated since 0.1.0 for removal, in favour of
			 * {@code notify.stomp.store.jdbc.initialization-mode} ({@code true} is
			 * {@code always}, {@code false} is {@code never})
			 */
			@Deprecated(since = "0.1.0", forRemoval = true)
			@DeprecatedConfigurationProperty(replacement = "notify.stomp.store.jdbc.initialization-mode",
					reason = "true is initialization-mode=always, false is initialization-mode=never", since = "0.1.0")
			public Boolean getInitializeSchema() {
				return this.initializeSchema;
			}

			/**
			 * Set the deprecated flag.
			 * @param initializeSchema whether to create the tables
			 * @deprecated since 0.1.0 for removal, in favour of
			 * {@link #setInitializationMode(InitializationMode)}
			 */
			@Deprecated(since = "0.1.0", forRemoval = true)
			public void setInitializeSchema(Boolean initializeSchema) {
				this.initializeSchema = initializeSchema;
			}

			public String getTablePrefix() {
				return this.tablePrefix;
			}

			public void setTablePrefix(String tablePrefix) {
				this.tablePrefix = tablePrefix;
			}

			public int getMaxBatchSize() {
				return this.maxBatchSize;
			}

			public void setMaxBatchSize(int maxBatchSize) {
				this.maxBatchSize = maxBatchSize;
			}

			/**
			 * When the store creates its tables; the values and their meaning are those
			 * of Spring Boot's own DatabaseInitializationMode (spring.sql.init.mode),
			 * which is not used here because it is missing from a Spring Boot 4
			 * application without spring-boot-sql.
			 */
			public enum InitializationMode {

				/**
				 * Create the tables on an embedded database only.
				 */
				EMBEDDED,

				/**
				 * Create the tables when they are missing, on any database.
				 */
				ALWAYS,

				/**
				 * Never create the tables.
				 */
				NEVER

			}

		}

	}

	/**
	 * Acknowledgement, redelivery and replay properties.
	 */
	public static class Delivery {

		/**
		 * Time a client has to ACK a message sent on an acknowledging subscription before
		 * it is sent again, such as 30s. At least 1s; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration ackTimeout = Duration.ofSeconds(30);

		/**
		 * Most times an unacknowledged message is sent again; after that it waits for a
		 * replay.
		 */
		private int maxAttempts = 3;

		/**
		 * Most stored messages one replay sends; when more are pending the last one
		 * carries the notify-replay-more header.
		 */
		private int replayLimit = 300;

		/**
		 * Most messages one subscription may leave unacknowledged; beyond it the oldest
		 * are left for replay.
		 */
		// null unless the deprecated key is set; applied to
		// limits.max-unacked-per-subscription
		private Integer maxUnackedPerSubscription;

		// where the deprecated key's getter reads from; set by the enclosing class
		private Limits limits;

		public Duration getAckTimeout() {
			return this.ackTimeout;
		}

		public void setAckTimeout(Duration ackTimeout) {
			this.ackTimeout = ackTimeout;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public int getReplayLimit() {
			return this.replayLimit;
		}

		public void setReplayLimit(int replayLimit) {
			this.replayLimit = replayLimit;
		}

		/**
		 * Return the unacknowledged-message limit, from its new place.
		 * @return the value of notify.stomp.limits.max-unacked-per-subscription
		 * @deprecated since 0.1.0 for removal, in favour of
		 * {@code notify.stomp.limits.max-unacked-per-subscription}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "notify.stomp.limits.max-unacked-per-subscription",
				reason = "every limit is under notify.stomp.limits", since = "0.1.0")
		public Integer getMaxUnackedPerSubscription() {
			return this.limits.getMaxUnackedPerSubscription();
		}

		/**
		 * Set the unacknowledged-message limit under its deprecated name.
		 * @param maxUnackedPerSubscription the limit
		 * @deprecated since 0.1.0 for removal, in favour of
		 * {@code notify.stomp.limits.max-unacked-per-subscription}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setMaxUnackedPerSubscription(Integer maxUnackedPerSubscription) {
			this.maxUnackedPerSubscription = maxUnackedPerSubscription;
		}

	}

	/**
	 * Shutdown properties.
	 */
	public static class Shutdown {

		/**
		 * Longest time shutdown waits for the messages already queued for sessions to be
		 * written before it closes the sessions and tells their clients to reconnect
		 * elsewhere, such as 10s; 0 not to wait. A bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration drainTimeout = Duration.ofSeconds(10);

		/**
		 * Longest delay clients are told to wait before reconnecting when the node shuts
		 * down, such as 5s; each client gets a random delay up to it, so that they do not
		 * all reconnect at once. 0 for no delay; a bare number means seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration reconnectWindow = Duration.ofSeconds(5);

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		public Duration getReconnectWindow() {
			return this.reconnectWindow;
		}

		public void setReconnectWindow(Duration reconnectWindow) {
			this.reconnectWindow = reconnectWindow;
		}

	}

	/**
	 * Limits on what one client, session or user may do or be sent (the WebSocket
	 * transport's own buffers and timeouts are under transport).
	 */
	public static class Limits {

		static final String MAX_PAYLOAD_SIZE = "max-payload-size";

		static final String MAX_SESSIONS_PER_USER = "max-sessions-per-user";

		static final String MAX_UNACKED_PER_SUBSCRIPTION = "max-unacked-per-subscription";

		/**
		 * Largest serialized payload a message may carry, such as 64KB; a bare number
		 * means bytes.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize maxPayloadSize = DataSize.ofKilobytes(64);

		/**
		 * Most sessions one user may have open at once (cluster-wide in cluster mode);
		 * what a further CONNECT does is auth.session-limit-policy.
		 */
		private int maxSessionsPerUser = 10;

		/**
		 * Most messages one subscription may leave unacknowledged; beyond it the oldest
		 * are left for replay.
		 */
		private int maxUnackedPerSubscription = 1000;

		// the keys of this group that were set, so that their deprecated aliases do not
		// override them
		private final Set<String> set = new HashSet<>();

		/**
		 * Most headers a client frame may carry.
		 */
		private int maxHeaders = 32;

		/**
		 * Longest value of one header of a client frame (the CONNECT token header is
		 * bounded by auth.max-token-length instead).
		 */
		private int maxHeaderLength = 2048;

		/**
		 * Most subscriptions one session may hold at once.
		 */
		private int maxSubscriptionsPerSession = 16;

		/**
		 * Most SEND frames one session may send per second, on average; a session that
		 * goes faster is closed.
		 */
		private int sendRate = 50;

		/**
		 * Most SEND frames one session may send in a burst above the rate.
		 */
		private int sendBurst = 100;

		public int getMaxHeaders() {
			return this.maxHeaders;
		}

		public void setMaxHeaders(int maxHeaders) {
			this.maxHeaders = maxHeaders;
		}

		public int getMaxHeaderLength() {
			return this.maxHeaderLength;
		}

		public void setMaxHeaderLength(int maxHeaderLength) {
			this.maxHeaderLength = maxHeaderLength;
		}

		public int getMaxSubscriptionsPerSession() {
			return this.maxSubscriptionsPerSession;
		}

		public void setMaxSubscriptionsPerSession(int maxSubscriptionsPerSession) {
			this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
		}

		public int getSendRate() {
			return this.sendRate;
		}

		public void setSendRate(int sendRate) {
			this.sendRate = sendRate;
		}

		public int getSendBurst() {
			return this.sendBurst;
		}

		public void setSendBurst(int sendBurst) {
			this.sendBurst = sendBurst;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
			this.set.add(MAX_PAYLOAD_SIZE);
		}

		public int getMaxSessionsPerUser() {
			return this.maxSessionsPerUser;
		}

		public void setMaxSessionsPerUser(int maxSessionsPerUser) {
			this.maxSessionsPerUser = maxSessionsPerUser;
			this.set.add(MAX_SESSIONS_PER_USER);
		}

		public int getMaxUnackedPerSubscription() {
			return this.maxUnackedPerSubscription;
		}

		public void setMaxUnackedPerSubscription(int maxUnackedPerSubscription) {
			this.maxUnackedPerSubscription = maxUnackedPerSubscription;
			this.set.add(MAX_UNACKED_PER_SUBSCRIPTION);
		}

		boolean isSet(String key) {
			return this.set.contains(key);
		}

	}

}
