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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.notifystomp.metrics.NotifyMetrics;

/**
 * Publishes relay messages on channels and waits for Redis within a deadline: a publish
 * that fails or does not answer in time marks Redis as unreachable and is counted in
 * {@code notify.stomp.relay.dropped{reason=publish-failed}}.
 */
final class RelayPublishes {

	private static final Log logger = LogFactory.getLog(RelayPublishes.class);

	private final RelayChannels channels;

	private final ClusterStatus status;

	private final NotifyMetrics metrics;

	RelayPublishes(RelayChannels channels, ClusterStatus status, NotifyMetrics metrics) {
		this.channels = channels;
		this.status = status;
		this.metrics = metrics;
	}

	/**
	 * Publish one message on channels.
	 * @return whether every publish succeeded in time
	 */
	boolean publish(List<String> channels, String message, Deadline deadline) {
		return publish(channels, message, deadline, 1);
	}

	/**
	 * Publish a message that carries several relays on channels; it counts as that many
	 * relays, as its receivers count them.
	 * @return whether every publish succeeded in time
	 */
	boolean publish(List<String> channels, String message, Deadline deadline, int messages) {
		List<CompletableFuture<Long>> futures = new ArrayList<>(channels.size());
		List<Integer> counts = new ArrayList<>(channels.size());
		for (String channel : channels) {
			futures.add(this.channels.publish(channel, message));
			counts.add(messages);
		}
		return await(futures, counts, deadline);
	}

	/**
	 * Wait for publishes already sent.
	 * @param futures the publishes
	 * @param counts how many relays each carries
	 * @param deadline when to give up
	 * @return whether every publish succeeded in time
	 */
	boolean await(List<CompletableFuture<Long>> futures, List<Integer> counts, Deadline deadline) {
		boolean all = true;
		for (boolean published : awaitEach(futures, counts, deadline)) {
			all &= published;
		}
		return all;
	}

	/**
	 * Wait for publishes already sent, telling which succeeded in time.
	 * @param futures the publishes
	 * @param counts how many relays each carries
	 * @param deadline when to give up
	 * @return for each publish, whether it succeeded in time
	 */
	boolean[] awaitEach(List<CompletableFuture<Long>> futures, List<Integer> counts, Deadline deadline) {
		boolean[] published = new boolean[futures.size()];
		for (int i = 0; i < futures.size(); i++) {
			try {
				deadline.await(futures.get(i), "relay publish");
				published(counts.get(i));
				published[i] = true;
			}
			catch (Deadline.RedisCallException ex) {
				failed(ex);
			}
		}
		return published;
	}

	void published(long relays) {
		for (long i = 0; i < relays; i++) {
			this.metrics.relayPublished();
		}
	}

	/**
	 * Account for a Redis call of a relay that failed or did not answer in time.
	 */
	void failed(Deadline.RedisCallException ex) {
		this.status.failed(ex.operation(), ex.getCause());
		this.metrics.relayDropped("publish-failed");
		if (logger.isDebugEnabled()) {
			logger.debug("Relay not published: " + ex.getMessage());
		}
	}

}
