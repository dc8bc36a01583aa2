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

package io.github.notifystomp.test;

import org.springframework.util.ClassUtils;

/**
 * Spring Boot's own auto-configurations that tests combine with the starter's, found by
 * name on the Spring Boot line the tests run on: most moved to new packages in Spring
 * Boot 4, and the same tests run on Spring Boot 3.5 too.
 */
public final class BootAutoConfigurations {

	private BootAutoConfigurations() {
	}

	public static Class<?> jackson() {
		return first("org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration");
	}

	public static Class<?> webSocketMessaging() {
		return first("org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration",
				"org.springframework.boot.autoconfigure.websocket.servlet.WebSocketMessagingAutoConfiguration");
	}

	public static Class<?> dataSource() {
		return first("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration");
	}

	public static Class<?> dataSourceTransactionManager() {
		return first("org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration");
	}

	public static Class<?> transaction() {
		return first("org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration");
	}

	public static Class<?> taskExecution() {
		return first("org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration");
	}

	public static Class<?> dataRedis() {
		return first("org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration");
	}

	/**
	 * Whether the tests run on Spring Boot 4.
	 * @return {@code true} on Spring Boot 4, {@code false} on Spring Boot 3.5
	 */
	public static boolean isBoot4() {
		return ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", null) || ClassUtils
			.isPresent("org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration", null);
	}

	private static Class<?> first(String... names) {
		for (String name : names) {
			if (ClassUtils.isPresent(name, BootAutoConfigurations.class.getClassLoader())) {
				return ClassUtils.resolveClassName(name, BootAutoConfigurations.class.getClassLoader());
			}
		}
		throw new IllegalStateException("None of " + String.join(", ", names) + " is on the class path");
	}

}
