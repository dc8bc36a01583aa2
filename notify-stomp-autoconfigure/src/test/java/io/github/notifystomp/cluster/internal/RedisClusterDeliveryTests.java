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

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.notifystomp.test.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery contract against a local Redis Cluster of three masters: relay channels
 * are sharded (Redis 7+) and keys are hash-tagged, so scripts and subscriptions work
 * across shards.
 */
class RedisClusterDeliveryTests extends AbstractClusterDeliveryTests {

	private RedisServers.LocalCluster cluster;

	@Override
	Map<String, Object> startRedis() {
		this.cluster = RedisServers.startCluster();
		return Map.of("spring.data.redis.cluster.nodes", String.join(",", this.cluster.nodes()));
	}

	@Override
	void stopRedis() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void whenRedisRunsAsAClusterThenRelayChannelsAreShardedOnRedis7() {
		boolean redis7 = this.cluster.urls().stream().allMatch((url) -> RedisServers.majorVersion(url) >= 7);
		List<ClusterTestNode> nodes = List.of(this.a, this.b, this.c);
		nodes.forEach((node) -> assertThat(node.status().isShardedChannels()).isEqualTo(redis7));
		long classic = 0;
		long sharded = 0;
		for (String url : this.cluster.urls()) {
			classic += ((List<?>) RedisServers.call(url, "PUBSUB", "CHANNELS", this.keyPrefix + ":*")).size();
			if (redis7) {
				sharded += ((List<?>) RedisServers.call(url, "PUBSUB", "SHARDCHANNELS", this.keyPrefix + ":*")).size();
			}
		}
		if (redis7) {
			// three inboxes and the broadcast channel, each on the shard of its hash tag
			assertThat(sharded).isEqualTo(4);
			assertThat(classic).isZero();
		}
		else {
			assertThat(classic).isPositive();
		}
	}

}
