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

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.TestHttp;

/**
 * One node of a test cluster: a full application context of {@link TestApplication} on a
 * random port, in cluster mode, with its own node id.
 */
final class ClusterTestNode implements AutoCloseable {

	private final String id;

	private final ConfigurableApplicationContext context;

	private ClusterTestNode(String id, ConfigurableApplicationContext context) {
		this.id = id;
		this.context = context;
	}

	/**
	 * Start a node.
	 * @param id the node id
	 * @param properties further properties (Redis location, key prefix, ...)
	 */
	static ClusterTestNode start(String id, Map<String, Object> properties) {
		return start(id, properties, new Class<?>[0]);
	}

	/**
	 * Start a node with further configuration classes.
	 * @param id the node id
	 * @param properties further properties (Redis location, key prefix, ...)
	 * @param sources further configuration classes
	 */
	static ClusterTestNode start(String id, Map<String, Object> properties, Class<?>... sources) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", 0);
		all.put("spring.main.banner-mode", "off");
		all.put("spring.jmx.enabled", false);
		all.put("notify.stomp.cluster.enabled", true);
		all.put("notify.stomp.cluster.node-id", id);
		all.putAll(properties);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class).sources(sources)
			.properties(all)
			.run();
		return new ClusterTestNode(id, context);
	}

	/**
	 * Return the properties that point a node at a test database.
	 */
	static Map<String, Object> databaseProperties(TestDatabase database) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String property : database.springPropertiesCreatingTheSchema()) {
			int equals = property.indexOf('=');
			properties.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return properties;
	}

	String id() {
		return this.id;
	}

	int port() {
		return TestHttp.port(this.context);
	}

	NotifyTemplate template() {
		return this.context.getBean(NotifyTemplate.class);
	}

	LocalSessions sessions() {
		return this.context.getBean(LocalSessions.class);
	}

	PresenceRegistry presence() {
		return this.context.getBean(PresenceRegistry.class);
	}

	ClusterStatus status() {
		return this.context.getBean(ClusterStatus.class);
	}

	ClusterLifecycle lifecycle() {
		return this.context.getBean(ClusterLifecycle.class);
	}

	RedisClusterRelay router() {
		return this.context.getBean(RedisClusterRelay.class);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	StompTestClient connect(String userId) {
		return StompTestClient.connect(port(), "valid-" + userId);
	}

	double relayPublished() {
		return count("notify.stomp.relay.published", null);
	}

	double relayReceived() {
		return count("notify.stomp.relay.received", null);
	}

	double relayDropped() {
		return count("notify.stomp.relay.dropped", null);
	}

	double relayDropped(String reason) {
		return count("notify.stomp.relay.dropped", reason);
	}

	private double count(String name, String reason) {
		var search = this.context.getBean(MeterRegistry.class).find(name).tag("node", this.id);
		if (reason != null) {
			search = search.tag("reason", reason);
		}
		return search.counters().stream().mapToDouble(Counter::count).sum();
	}

	/**
	 * Wait until the node reached Redis and listens on its relay channels.
	 */
	ClusterTestNode awaitJoined() {
		Awaitility.await("node " + this.id + " joins the cluster")
			.atMost(StompTestClient.TIMEOUT.multipliedBy(3))
			.until(() -> status().isRedisReachable() && status().isSubscribed());
		return this;
	}

	/**
	 * Wait until the user has this many sessions subscribed to the user destination here.
	 */
	void awaitUserSubscriptions(String userId, int sessions) {
		Awaitility.await("user " + userId + " subscribed on node " + this.id)
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> sessions().sessionsOf(userId)
				.stream()
				.filter((session) -> session.userSubscriptionCount() > 0)
				.count() >= sessions);
	}

	/**
	 * Wait until this many sessions here subscribed to the broadcast topic.
	 */
	void awaitBroadcastSubscriptions(int count) {
		SimpUserRegistry users = this.context.getBean(SimpUserRegistry.class);
		Awaitility.await("broadcast subscriptions on node " + this.id)
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> users.findSubscriptions((s) -> "/topic/notify".equals(s.getDestination())).size() >= count);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
