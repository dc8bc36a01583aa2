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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A point in time by which a Redis answer must be there, so that a slow or absent Redis
 * never holds a caller longer than the configured timeout.
 */
final class Deadline {

	private final long nanos;

	private Deadline(long nanos) {
		this.nanos = nanos;
	}

	static Deadline in(Duration timeout) {
		return new Deadline(System.nanoTime() + timeout.toNanos());
	}

	/**
	 * Wait for a result until the deadline.
	 * @throws RedisCallException if the future failed, timed out, or the thread was
	 * interrupted
	 */
	<T> T await(CompletableFuture<T> future, String operation) {
		try {
			return future.get(Math.max(0, this.nanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new RedisCallException(operation, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (TimeoutException ex) {
			throw new RedisCallException(operation, new TimeoutException("no answer from Redis in time"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisCallException(operation, ex);
		}
	}

	/**
	 * A Redis call that did not answer in time or failed.
	 */
	static final class RedisCallException extends RuntimeException {

		private final String operation;

		RedisCallException(String operation, Throwable cause) {
			super(operation + ": " + ClusterStatus.describe(cause), cause);
			this.operation = operation;
		}

		String operation() {
			return this.operation;
		}

	}

}
