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

package io.github.notifystomp.delivery.internal;

import java.time.Duration;

/**
 * Destinations and limits of delivery to this node's sessions, from the properties.
 *
 * @param userDestination the destination clients subscribe to for their own messages,
 * with the user prefix ({@code /user/queue/notify})
 * @param broadcastDestination the broadcast topic
 * @param replayLimit the most stored messages one replay sends
 * @param maxUnackedPerSubscription the most messages a subscription may leave
 * unacknowledged before the oldest are left for replay, and the most live messages held
 * back while it replays
 * @param outboundQueueLimit the most messages waiting to be written to one session
 * @param outboundQueueBytes the most message bytes waiting to be written to one session
 * @param dropWhenFull {@code true} to drop messages that are not stored when a session's
 * outbox is full, {@code false} to close the session
 * @param sendTimeLimit the longest time a replay waits for room in a session's outbox
 * before the session is closed as a slow consumer
 */
public record DeliverySettings(String userDestination, String broadcastDestination, int replayLimit,
		int maxUnackedPerSubscription, int outboundQueueLimit, long outboundQueueBytes, boolean dropWhenFull,
		Duration sendTimeLimit) {

}
