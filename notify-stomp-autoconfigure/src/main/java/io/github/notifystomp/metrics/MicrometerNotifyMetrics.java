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

package io.github.notifystomp.metrics;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@link NotifyMetrics} as Micrometer meters, all named {@code notify.stomp.*} and tagged
 * with the node id.
 */
public class MicrometerNotifyMetrics implements NotifyMetrics {

	private final MeterRegistry registry;

	private final String node;

	private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

	private final Timer deliveryLatency;

	private final Timer storeWrite;

	// the meters of the per-message path, looked up once
	private final Counter delivered;

	private final Counter acknowledged;

	private final Counter redelivered;

	private final Counter relayPublished;

	private final Counter relayReceived;

	private final Counter sentToUser;

	private final Counter sentBroadcast;

	/**
	 * Create the meters.
	 * @param registry the registry
	 * @param node this node's id, the {@code node} tag of every meter
	 * @param sessions the number of sessions connected to this node
	 * @param users the number of users connected to this node
	 */
	public MicrometerNotifyMetrics(MeterRegistry registry, String node, Supplier<Number> sessions,
			Supplier<Number> users) {
		this.registry = registry;
		this.node = node;
		Gauge.builder("notify.stomp.sessions", sessions)
			.description("STOMP sessions connected to this node")
			.tag("node", node)
			.register(registry);
		Gauge.builder("notify.stomp.users", users)
			.description("Distinct users connected to this node")
			.tag("node", node)
			.register(registry);
		// percentiles and histograms are left to the application's
		// management.metrics.distribution.* settings, as for Boot's own meters
		this.deliveryLatency = Timer.builder("notify.stomp.delivery.latency")
			.description("Time from NotifyTemplate send to hand-off to a session, first attempts only")
			.tag("node", node)
			.register(registry);
		this.storeWrite = Timer.builder("notify.stomp.store.write")
			.description("Time to write one message to the store")
			.tag("node", node)
			.register(registry);
		this.delivered = counter("notify.stomp.messages.delivered", "Messages handed to a session");
		this.acknowledged = counter("notify.stomp.messages.acknowledged", "Messages ACKed by a client");
		this.redelivered = counter("notify.stomp.messages.redelivered",
				"Messages sent again after a NACK or a missing ACK");
		this.relayPublished = counter("notify.stomp.relay.published",
				"Relay messages this node published to other nodes");
		this.relayReceived = counter("notify.stomp.relay.received",
				"Relay messages this node received from other nodes");
		this.sentToUser = counter("notify.stomp.messages.sent", "Messages sent by the application", "kind", "user");
		this.sentBroadcast = counter("notify.stomp.messages.sent", "Messages sent by the application", "kind",
				"broadcast");
	}

	@Override
	public void connectAccepted() {
		counter("notify.stomp.connects", "CONNECT frames", "result", "accepted", "reason", "none").increment();
	}

	@Override
	public void connectRefused(String reason) {
		counter("notify.stomp.connects", "CONNECT frames", "result", "refused", "reason", reason).increment();
	}

	@Override
	public void frameRefused(String reason) {
		counter("notify.stomp.frames.refused", "Client frames refused after CONNECT", "reason", reason).increment();
	}

	@Override
	public void messageSent(String kind) {
		if ("user".equals(kind)) {
			this.sentToUser.increment();
		}
		else if ("broadcast".equals(kind)) {
			this.sentBroadcast.increment();
		}
		else {
			counter("notify.stomp.messages.sent", "Messages sent by the application", "kind", kind).increment();
		}
	}

	@Override
	public void messageDelivered(Duration latency) {
		this.delivered.increment();
		if (latency != null) {
			this.deliveryLatency.record(latency.isNegative() ? Duration.ZERO : latency);
		}
	}

	@Override
	public void messageAcknowledged() {
		this.acknowledged.increment();
	}

	@Override
	public void messageRedelivered() {
		this.redelivered.increment();
	}

	@Override
	public void messageDropped(String reason) {
		counter("notify.stomp.messages.dropped", "Messages dropped before reaching a session", "reason", reason)
			.increment();
	}

	@Override
	public void relayPublished() {
		this.relayPublished.increment();
	}

	@Override
	public void relayReceived() {
		this.relayReceived.increment();
	}

	@Override
	public void relayDropped(String reason) {
		counter("notify.stomp.relay.dropped", "Messages on the relay channels that were dropped", "reason", reason)
			.increment();
	}

	@Override
	public void slowConsumerClosed() {
		counter("notify.stomp.sessions.slow-consumer", "Sessions closed because they could not keep up").increment();
	}

	@Override
	public void storeWrite(Duration duration) {
		this.storeWrite.record(duration);
	}

	private Counter counter(String name, String description, String... tags) {
		String key = (tags.length == 0) ? name : name + String.join("|", tags);
		return this.counters.computeIfAbsent(key,
				(k) -> Counter.builder(name)
					.description(description)
					.tag("node", this.node)
					.tags(tags)
					.register(this.registry));
	}

}
