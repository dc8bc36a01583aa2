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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.github.notifystomp.auth.TicketRedemptions;

/**
 * {@link TicketRedemptions} in Redis, so that a CONNECT ticket used on one node is
 * refused on every other: one {@code SET NX} with the ticket's remaining lifetime as
 * expiry. When Redis does not answer within the publish timeout the ticket is refused,
 * since it could not be checked.
 */
public class RedisTicketRedemptions implements TicketRedemptions {

	private static final Log logger = LogFactory.getLog(RedisTicketRedemptions.class);

	private final RedissonClient redisson;

	private final RedisKeys keys;

	private final Duration timeout;

	private final Clock clock;

	/**
	 * Create redemptions.
	 * @param redisson the client
	 * @param keyPrefix the prefix of every key
	 * @param timeout the longest time to wait for Redis
	 * @param clock the clock tickets expire by
	 */
	public RedisTicketRedemptions(RedissonClient redisson, String keyPrefix, Duration timeout, Clock clock) {
		this.redisson = redisson;
		this.keys = new RedisKeys(keyPrefix);
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public boolean redeem(String ticketId, Instant expiresAt) {
		// kept a second past the expiry, so that node clocks a little apart do not matter
		Duration ttl = Duration.between(this.clock.instant(), expiresAt).plusSeconds(1);
		if (ttl.isNegative() || ttl.isZero()) {
			return false;
		}
		try {
			Boolean first = this.redisson.<String>getBucket(this.keys.ticket(ticketId), StringCodec.INSTANCE)
				.setIfAbsentAsync("1", ttl)
				.toCompletableFuture()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return Boolean.TRUE.equals(first);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			logger.warn("Refused a CONNECT ticket: Redis could not record its use (" + ex.getClass().getSimpleName()
					+ "), and a ticket is accepted only once");
			return false;
		}
	}

}
