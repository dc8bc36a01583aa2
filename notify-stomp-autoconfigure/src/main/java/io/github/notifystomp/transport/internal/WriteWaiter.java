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

package io.github.notifystomp.transport.internal;

/**
 * An action waiting for room in an {@link AsyncWriter}: at most {@code maxPending}
 * messages pending, or at most {@code maxSmall} that hold at most {@code maxBytes}
 * together, and, for a frame an outbox handed over, that frame taken by the writer.
 *
 * @param maxPending the most messages still pending, whatever their size
 * @param maxSmall the most messages still pending when they are small
 * @param maxBytes the most bytes those small messages hold together
 * @param acceptedBefore the writer's count of messages taken before the frame was handed
 * over; {@code -1} when nothing is waited for
 * @param action the action
 */
record WriteWaiter(int maxPending, int maxSmall, long maxBytes, long acceptedBefore, Runnable action) {

	boolean ready(int pending, long bytes, long accepted) {
		return accepted > this.acceptedBefore
				&& (pending <= this.maxPending || (pending <= this.maxSmall && bytes <= this.maxBytes));
	}

	// the same without waiting for the frame to be taken
	WriteWaiter arrived() {
		return new WriteWaiter(this.maxPending, this.maxSmall, this.maxBytes, -1, this.action);
	}

}
