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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ClassUtils;

/**
 * Checks the values of {@link NotifyStompProperties} at startup, so that a bad value
 * fails with the property's name rather than with a strange runtime error.
 */
final class NotifyStompPropertiesValidator {

	private static final Log logger = LogFactory.getLog(NotifyStompProperties.class);

	private static final String PREFIX = "notify.stomp.";

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	private final NotifyStompProperties properties;

	NotifyStompPropertiesValidator(NotifyStompProperties properties) {
		this.properties = properties;
	}

	void validate() {
		NotifyStompProperties p = this.properties;
		validateDestinations(p);
		validateTransport(p);
		validateAuth(p);
		validateCluster(p);
		validateStore(p);
		validateDelivery(p);
		validateLimits(p);
		if (p.getAllowedOriginPatterns().contains("*")) {
			logger.warn("notify.stomp.allowed-origin-patterns is '*': any web site can open a WebSocket to this"
					+ " server. Tokens travel in the CONNECT frame, not in cookies, so this is safe only if no"
					+ " cookie-based identity is accepted on the endpoint.");
		}
	}

	// the endpoint, the destinations and what clients may subscribe to
	private void validateDestinations(NotifyStompProperties p) {
		path("endpoint", p.getEndpoint());
		destination("user-destination", p.getUserDestination());
		destination("broadcast-destination", p.getBroadcastDestination());
		if (p.getUserDestination().startsWith("/user/") || p.getBroadcastDestination().startsWith("/user/")) {
			fail("user-destination", p.getUserDestination(), "destinations must not start with /user");
		}
		if (firstSegment(p.getUserDestination()).equals(firstSegment(p.getApplicationDestinationPrefix()))
				|| firstSegment(p.getBroadcastDestination())
					.equals(firstSegment(p.getApplicationDestinationPrefix()))) {
			fail("application-destination-prefix", p.getApplicationDestinationPrefix(),
					"must differ from the first segment of the user and broadcast destinations");
		}
		path("application-destination-prefix", p.getApplicationDestinationPrefix());
		for (String pattern : p.getExtraSubscribePatterns()) {
			if (pattern == null || !pattern.startsWith("/") || pattern.startsWith("/user") || pattern.equals("/**")) {
				fail("extra-subscribe-patterns", pattern,
						"each pattern must start with '/', must not cover everything and must not start with /user");
			}
		}
		for (var type : p.getTypes().entrySet()) {
			if (!ClassUtils.isPresent(type.getValue(), getClass().getClassLoader())) {
				fail("types." + type.getKey(), type.getValue(), "no such class on the classpath");
			}
		}
	}

	// heart-beats, frame and buffer sizes, slow consumers
	private void validateTransport(NotifyStompProperties p) {
		positive(p.sourceKey("limits.max-payload-size"), p.getLimits().getMaxPayloadSize().toBytes());
		zeroOrAtLeast("heartbeat.server", p.getHeartbeat().getServer(), ONE_SECOND);
		zeroOrAtLeast("heartbeat.client", p.getHeartbeat().getClient(), ONE_SECOND);
		if (p.getTransport().getMessageSizeLimit().toBytes() < 1024) {
			fail("transport.message-size-limit", p.getTransport().getMessageSizeLimit(), "must be at least 1KB");
		}
		if (p.getTransport().getInboundBufferSize().toBytes() < 128) {
			fail("transport.inbound-buffer-size", p.getTransport().getInboundBufferSize(), "must be at least 128B");
		}
		if (p.getTransport().getInboundBufferSize().toBytes() > p.getTransport().getMessageSizeLimit().toBytes()) {
			fail("transport.inbound-buffer-size", p.getTransport().getInboundBufferSize(),
					"must not exceed transport.message-size-limit");
		}
		if (p.getTransport().getSendBufferSizeLimit().toBytes() < 1024) {
			fail("transport.send-buffer-size-limit", p.getTransport().getSendBufferSizeLimit(), "must be at least 1KB");
		}
		long coalesce = (p.getTransport().getCoalesceSizeLimit() != null)
				? p.getTransport().getCoalesceSizeLimit().toBytes() : -1;
		if (coalesce != 0 && (coalesce < 1024 || coalesce > 1024 * 1024)) {
			fail("transport.coalesce-size-limit", p.getTransport().getCoalesceSizeLimit(),
					"must be 0 (off) or from 1KB to 1MB");
		}
		atLeast("transport.send-time-limit", p.getTransport().getSendTimeLimit(), ONE_SECOND);
		positive("transport.outbound-queue-limit", p.getTransport().getOutboundQueueLimit());
		if (p.getTransport().getSlowConsumerPolicy() == null) {
			fail("transport.slow-consumer-policy", null, "use terminate or drop-newest");
		}
		atLeast("transport.connect-timeout", p.getTransport().getConnectTimeout(), ONE_SECOND);
		atLeast("heartbeat.idle-timeout", p.getHeartbeat().getIdleTimeout(), Duration.ofSeconds(2));
		if (p.getTransport().getSlowConsumerThrottle().getMaxCloses() < 0) {
			fail("transport.slow-consumer-throttle.max-closes",
					p.getTransport().getSlowConsumerThrottle().getMaxCloses(), "must not be negative");
		}
		atLeast("transport.slow-consumer-throttle.window", p.getTransport().getSlowConsumerThrottle().getWindow(),
				ONE_SECOND);
	}

	// tokens, tickets and the CONNECT throttle
	private void validateAuth(NotifyStompProperties p) {
		if (p.getAuth().getHeader() == null || !p.getAuth().getHeader().matches("[A-Za-z0-9-]+")) {
			fail("auth.header", p.getAuth().getHeader(), "must be a header name of letters, digits and '-'");
		}
		positive(p.sourceKey("limits.max-sessions-per-user"), p.getLimits().getMaxSessionsPerUser());
		positive("auth.max-token-length", p.getAuth().getMaxTokenLength());
		if (p.getAuth().getJwt().getUserClaim() != null && p.getAuth().getJwt().getUserClaim().isBlank()) {
			fail("auth.jwt.user-claim", p.getAuth().getJwt().getUserClaim(), "must not be blank");
		}
		NotifyStompProperties.Auth.Ticket ticket = p.getAuth().getTicket();
		path("auth.ticket.path", ticket.getPath());
		if (ticket.getPath().equals(p.getEndpoint()) || ticket.getPath().startsWith(p.getEndpoint() + "/")) {
			fail("auth.ticket.path", ticket.getPath(), "must differ from notify.stomp.endpoint");
		}
		atLeast("auth.ticket.ttl", ticket.getTtl(), ONE_SECOND);
		if (ticket.getTtl().compareTo(Duration.ofMinutes(10)) > 0) {
			fail("auth.ticket.ttl", format(ticket.getTtl()),
					"must be at most 10m: a ticket is for one CONNECT right after it is issued");
		}
		if (ticket.getSecret() != null && ticket.getSecret().length() < 32) {
			// the value itself is a secret: never put it in the message
			fail("auth.ticket.secret", "(" + ticket.getSecret().length() + " characters)",
					"must be at least 32 characters");
		}
		if (ticket.isEnabled() && p.getCluster().isEnabled() && ticket.getSecret() == null) {
			fail("auth.ticket.secret", null, "must be set when notify.stomp.auth.ticket.enabled and"
					+ " notify.stomp.cluster.enabled are both true: every node must check the tickets the others"
					+ " issue, so all need the same secret (at least 32 characters)");
		}
		if (p.getAuth().getFailureThrottle().getMaxFailures() < 0) {
			fail("auth.failure-throttle.max-failures", p.getAuth().getFailureThrottle().getMaxFailures(),
					"must not be negative");
		}
		atLeast("auth.failure-throttle.window", p.getAuth().getFailureThrottle().getWindow(), ONE_SECOND);
	}

	// node id, Redis keys and connections, relay secret
	private void validateCluster(NotifyStompProperties p) {
		String nodeId = p.getCluster().getNodeId();
		if (nodeId != null && !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
			fail("cluster.node-id", nodeId, "use 1 to 64 letters, digits, '.', '_' or '-'");
		}
		if (p.getCluster().getKeyPrefix() == null || !p.getCluster().getKeyPrefix().matches("[A-Za-z0-9._:-]{1,64}")) {
			fail("cluster.key-prefix", p.getCluster().getKeyPrefix(),
					"use 1 to 64 letters, digits, '.', '_', ':' or '-'");
		}
		atLeast("cluster.presence-lease", p.getCluster().getPresenceLease(), ONE_SECOND);
		atLeast("cluster.publish-timeout", p.getCluster().getPublishTimeout(), Duration.ofMillis(100));
		NotifyStompProperties.Cluster cluster = p.getCluster();
		positive("cluster.relay-queue-limit", cluster.getRelayQueueLimit());
		positive("cluster.relay-max-batch-size", cluster.getRelayMaxBatchSize());
		Duration batchDelay = cluster.getRelayBatchDelay();
		if (batchDelay == null || batchDelay.isNegative() || batchDelay.compareTo(Duration.ofMillis(100)) > 0) {
			fail("cluster.relay-batch-delay", format(batchDelay),
					"must be from 0 to 100ms (a bare number means milliseconds; write the unit, such as 500us)");
		}
		positive("cluster.connection-pool-size", cluster.getConnectionPoolSize());
		positive("cluster.subscription-connection-pool-size", cluster.getSubscriptionConnectionPoolSize());
		if (cluster.getConnectionMinimumIdleSize() < 0
				|| cluster.getConnectionMinimumIdleSize() > cluster.getConnectionPoolSize()) {
			fail("cluster.connection-minimum-idle-size", cluster.getConnectionMinimumIdleSize(),
					"must be from 0 to notify.stomp.cluster.connection-pool-size");
		}
		if (cluster.getSubscriptionConnectionMinimumIdleSize() < 0
				|| cluster.getSubscriptionConnectionMinimumIdleSize() > cluster.getSubscriptionConnectionPoolSize()) {
			fail("cluster.subscription-connection-minimum-idle-size",
					cluster.getSubscriptionConnectionMinimumIdleSize(),
					"must be from 0 to notify.stomp.cluster.subscription-connection-pool-size");
		}
		String relaySecret = p.getCluster().getRelaySecret();
		if (relaySecret != null && relaySecret.length() < 32) {
			// the value itself is a secret: never put it in the message
			fail("cluster.relay-secret", "(" + relaySecret.length() + " characters)", "must be at least 32 characters");
		}
	}

	// retention, timeouts and the JDBC tables
	private void validateStore(NotifyStompProperties p) {
		atLeast("store.retention", p.getStore().getRetention(), Duration.ofMinutes(1));
		atLeast("store.cleanup-interval", p.getStore().getCleanupInterval(), ONE_SECOND);
		atLeast("store.timeout", p.getStore().getTimeout(), ONE_SECOND);
		positive("store.memory.max-messages-per-user", p.getStore().getMemory().getMaxMessagesPerUser());
		positive("store.jdbc.max-batch-size", p.getStore().getJdbc().getMaxBatchSize());
		if (!p.getStore().getJdbc().getTablePrefix().matches("[A-Za-z0-9_]{0,32}")) {
			fail("store.jdbc.table-prefix", p.getStore().getJdbc().getTablePrefix(),
					"use up to 32 letters, digits or '_'");
		}
	}

	// acknowledgements, replays and shutdown
	private void validateDelivery(NotifyStompProperties p) {
		atLeast("delivery.ack-timeout", p.getDelivery().getAckTimeout(), ONE_SECOND);
		if (p.getDelivery().getMaxAttempts() < 0) {
			fail("delivery.max-attempts", p.getDelivery().getMaxAttempts(), "must not be negative");
		}
		positive("delivery.replay-limit", p.getDelivery().getReplayLimit());
		positive(p.sourceKey("limits.max-unacked-per-subscription"), p.getLimits().getMaxUnackedPerSubscription());
		notNegative("shutdown.drain-timeout", p.getShutdown().getDrainTimeout());
		notNegative("shutdown.reconnect-window", p.getShutdown().getReconnectWindow());
	}

	// what one client, session or user may do
	private void validateLimits(NotifyStompProperties p) {
		positive("limits.max-headers", p.getLimits().getMaxHeaders());
		positive("limits.max-header-length", p.getLimits().getMaxHeaderLength());
		positive("limits.max-subscriptions-per-session", p.getLimits().getMaxSubscriptionsPerSession());
		positive("limits.send-rate", p.getLimits().getSendRate());
		positive("limits.send-burst", p.getLimits().getSendBurst());
	}

	private static String firstSegment(String destination) {
		int slash = destination.indexOf('/', 1);
		return (slash > 0) ? destination.substring(0, slash) : destination;
	}

	private static void path(String property, String value) {
		if (value == null || !value.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*") || value.contains("..")) {
			fail(property, value, "must be a path such as /ws: '/' and then letters, digits, '.', '_', '~' or '-'");
		}
	}

	private static void destination(String property, String value) {
		path(property, value);
		if (value.indexOf('/', 1) < 0) {
			fail(property, value, "must have a broker prefix and a name, such as /queue/notify");
		}
	}

	private static void positive(String property, long value) {
		if (value <= 0) {
			fail(property, value, "must be greater than 0");
		}
	}

	// a bare number means seconds (days for the retention): say so, since a value below
	// the floor was most likely meant in another unit
	private static void atLeast(String property, Duration value, Duration floor) {
		if (value == null || value.compareTo(floor) < 0) {
			fail(property, format(value), "must be at least " + format(floor) + " (a bare number means "
					+ (property.equals("store.retention") ? "days" : "seconds") + "; write the unit, such as 500ms)");
		}
	}

	private static void zeroOrAtLeast(String property, Duration value, Duration floor) {
		if (value == null || (!value.isZero() && value.compareTo(floor) < 0)) {
			fail(property, format(value), "must be 0 (off) or at least " + format(floor)
					+ " (a bare number means seconds; write the unit, such as 500ms)");
		}
	}

	private static String format(Duration duration) {
		if (duration == null) {
			return null;
		}
		if (duration.isNegative() || duration.getNano() != 0 || duration.isZero()) {
			return duration.toMillis() + "ms";
		}
		return duration.toSeconds() + "s";
	}

	private static void notNegative(String property, Duration value) {
		if (value == null || value.isNegative()) {
			fail(property, value, "must not be negative");
		}
	}

	private static void fail(String property, Object value, String reason) {
		throw new InvalidNotifyStompPropertyException(PREFIX + property, value, reason);
	}

}
