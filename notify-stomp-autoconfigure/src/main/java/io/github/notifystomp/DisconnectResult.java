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

package io.github.notifystomp;

import java.time.Instant;

/**
 * What a {@link NotifyTemplate#disconnectUser(String, java.time.Duration)} did.
 *
 * @param userId the user
 * @param allNodesTold whether every node was told: {@code false} when other nodes could
 * not be reached (Redis is down); the starter then tells them as soon as it can, and a
 * node that was away closes the user's sessions when it is back
 * @param reconnectsRefusedUntil until when the user's CONNECTs are refused, or
 * {@code null} when they are not
 */
public record DisconnectResult(String userId, boolean allNodesTold, Instant reconnectsRefusedUntil) {

}
