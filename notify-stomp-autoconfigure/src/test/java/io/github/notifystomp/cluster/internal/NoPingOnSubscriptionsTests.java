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

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.config.Config;

import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link NoPingOnSubscriptions} against a real Redis: the starter's client
 * loses no published message while Redisson pings its connections, however often.
 */
class NoPingOnSubscriptionsTests {

	private static final int MESSAGES = 20_000;

	// outstanding publishes: enough to keep the subscription connection busy
	private static final int WINDOW = 200;

	@Test
	void whenConnectionsArePingedEveryFewMillisecondsThenTheSubscriberStillGetsEveryMessage() throws Exception {
		SpringDataRedisProperties properties = new SpringDataRedisProperties();
		properties.setUrl(RedisServers.url());
		Config subscriberConfig = RedissonConfigFactory.create(RedisTarget.of(properties, null), properties);
		// far more often than the default 30 s, so that pings meet messages many times
		subscriberConfig.useSingleServer().setPingConnectionInterval(10);
		RedissonClient subscriber = Redisson.create(subscriberConfig);
		RedissonClient publisher = Redisson
			.create(RedissonConfigFactory.create(RedisTarget.of(properties, null), properties));
		try {
			String channel = RedisServers.freshKeyPrefix() + ":ping-test";
			BitSet received = new BitSet(MESSAGES);
			AtomicInteger subscriptions = new AtomicInteger();
			RTopic topic = subscriber.getTopic(channel);
			topic.addListener(new BaseStatusListener() {

				@Override
				public void onSubscribe(String name) {
					subscriptions.incrementAndGet();
				}

			});
			topic.addListener(String.class, (name, message) -> {
				synchronized (received) {
					received.set(Integer.parseInt(message.substring(0, message.indexOf(':'))));
				}
			});
			await().atMost(10, TimeUnit.SECONDS).until(() -> subscriptions.get() == 1);

			publish(publisher.getTopic(channel));

			await().atMost(30, TimeUnit.SECONDS).until(() -> cardinality(received) == MESSAGES);
			// and no reconnect, which would have lost what came meanwhile
			assertThat(subscriptions).hasValue(1);
		}
		finally {
			subscriber.shutdown();
			publisher.shutdown();
		}
	}

	private static void publish(RTopic topic) throws Exception {
		String body = ":" + "x".repeat(300);
		RFuture<?>[] pending = new RFuture<?>[WINDOW];
		for (int i = 0; i < MESSAGES; i++) {
			int slot = i % WINDOW;
			if (pending[slot] != null) {
				pending[slot].toCompletableFuture().get(10, TimeUnit.SECONDS);
			}
			pending[slot] = topic.publishAsync(i + body);
		}
		for (RFuture<?> future : pending) {
			future.toCompletableFuture().get(10, TimeUnit.SECONDS);
		}
	}

	private static int cardinality(BitSet received) {
		synchronized (received) {
			return received.cardinality();
		}
	}

}
