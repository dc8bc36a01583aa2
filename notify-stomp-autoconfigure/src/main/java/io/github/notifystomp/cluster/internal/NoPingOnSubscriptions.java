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

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import org.redisson.client.NettyHook;
import org.redisson.client.handler.CommandsQueuePubSub;
import org.redisson.client.handler.PingConnectionHandler;

/**
 * Keeps Redisson from pinging the connections that carry subscriptions; the connections
 * for commands are still pinged.
 * <p>
 * A relay message that reaches a subscription connection while a PING on it awaits its
 * reply can be lost without a trace (Redisson 4.3): against one local Redis, with one
 * publisher and one subscriber, a ping every 200 ms lost one of 100,000 messages with no
 * reconnect, and a ping every 20 ms, which also times out under load and so reconnects,
 * lost thousands of 50,000. Without the ping nothing was lost. A subscription connection
 * whose peer is gone is found by TCP keepalive instead, which the starter's client turns
 * on; one that Redis closes, or that a reset ends, is reconnected and subscribed again by
 * Redisson as before.
 */
final class NoPingOnSubscriptions implements NettyHook {

	@Override
	public void afterBoostrapInitialization(Bootstrap bootstrap) {
	}

	@Override
	public void afterChannelInitialization(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(CommandsQueuePubSub.class) != null && pipeline.get(PingConnectionHandler.class) != null) {
			pipeline.remove(PingConnectionHandler.class);
		}
	}

}
