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

package io.github.notifystomp.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start in cluster mode without Redisson on the classpath.
 */
class RedissonMissingFailureAnalyzer extends AbstractFailureAnalyzer<RedissonMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedissonMissingException cause) {
		return new FailureAnalysis(
				"notify-stomp cannot start: notify.stomp.cluster.enabled is true, which relays messages between nodes"
						+ " through Redis with Redisson, but Redisson is not on the classpath.",
				"Add the dependency org.redisson:redisson (or org.redisson:redisson-spring-boot-starter) to your"
						+ " build, or set notify.stomp.cluster.enabled=false to run a single node.",
				cause);
	}

}
