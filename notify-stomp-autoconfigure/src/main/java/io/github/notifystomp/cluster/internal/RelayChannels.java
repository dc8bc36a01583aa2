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

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.api.listener.StatusListener;

/**
 * Publishing to and listening on relay channels, always as plain UTF-8 strings
 * ({@link Utf8StringCodec}), never with Redisson's default (Kryo) codec. Against a Redis
 * Cluster running Redis 7 the channels are sharded ({@code SPUBLISH}), so a message
 * reaches only the shard of its channel instead of every Redis node.
 */
final class RelayChannels {

	private final RedissonClient redisson;

	private final Map<String, RTopic> subscribed = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

	// channels whose (re)subscriptions are reported to the status listener
	private final Map<String, Boolean> watched = new ConcurrentHashMap<>();

	private volatile boolean sharded;

	RelayChannels(RedissonClient redisson) {
		this.redisson = redisson;
	}

	/**
	 * Choose sharded or classic pub/sub; called before the first subscription.
	 */
	void useSharded(boolean sharded) {
		this.sharded = sharded;
	}

	boolean isSharded() {
		return this.sharded;
	}

	/**
	 * Publish a message.
	 * @return the future number of receivers Redis reports (only those on one shard in a
	 * Redis Cluster); never throws, a failure completes the future
	 */
	CompletableFuture<Long> publish(String channel, String message) {
		try {
			return topic(channel).publishAsync(message).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Listen on a channel unless already listening. Redisson subscribes again by itself
	 * after a reconnect; this is for the first subscription, which may fail while Redis
	 * is down.
	 * @param status told each time the channel is subscribed, the first time and again
	 * after Redisson reconnected: messages published in between were lost
	 * @return the future that completes when subscribed
	 */
	CompletableFuture<Void> subscribe(String channel, MessageListener<String> listener, StatusListener status) {
		RTopic topic = this.subscribed.computeIfAbsent(channel, this::topic);
		CompletableFuture<Void> inFlight = this.pending.get(channel);
		if (inFlight != null && !inFlight.isDone()) {
			// a slow first attempt may still succeed: never add the listener twice
			return inFlight;
		}
		CompletableFuture<Void> future;
		try {
			if (topic.countListeners() > 0) {
				if (this.watched.containsKey(channel)) {
					return CompletableFuture.completedFuture(null);
				}
				future = watch(channel, topic, status);
			}
			else {
				// the message listener first: a channel with only a status listener would
				// count as subscribed
				future = topic.addListenerAsync(String.class, listener)
					.toCompletableFuture()
					.thenCompose((id) -> watch(channel, topic, status));
			}
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		this.pending.put(channel, future);
		return future;
	}

	private CompletableFuture<Void> watch(String channel, RTopic topic, StatusListener status) {
		return topic.addListenerAsync(status).toCompletableFuture().thenApply((id) -> {
			this.watched.put(channel, Boolean.TRUE);
			return null;
		});
	}

	/**
	 * Whether this client listens on a channel.
	 */
	boolean isSubscribed(String channel) {
		RTopic topic = this.subscribed.get(channel);
		return topic != null && topic.countListeners() > 0 && this.watched.containsKey(channel);
	}

	/**
	 * Stop listening on every channel.
	 * @return the future that completes when done
	 */
	CompletableFuture<Void> unsubscribeAll() {
		CompletableFuture<?>[] futures = this.subscribed.values().stream().map((topic) -> {
			try {
				return topic.removeAllListenersAsync().toCompletableFuture();
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}).toArray(CompletableFuture[]::new);
		this.subscribed.clear();
		this.pending.clear();
		this.watched.clear();
		return CompletableFuture.allOf(futures);
	}

	private RTopic topic(String channel) {
		return this.sharded ? this.redisson.getShardedTopic(channel, Utf8StringCodec.INSTANCE)
				: this.redisson.getTopic(channel, Utf8StringCodec.INSTANCE);
	}

}
