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

package io.github.notifystomp.autoconfigure.boot3;

import org.redisson.api.RedissonClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.notifystomp.autoconfigure.ConditionalOnNotifyStompEnabled;
import io.github.notifystomp.autoconfigure.NotifyStompClusterAutoConfiguration;
import io.github.notifystomp.boot3.RedisConnectionDetailsTarget;
import io.github.notifystomp.cluster.internal.RedisTarget;
import io.github.notifystomp.cluster.internal.SpringDataRedisProperties;

/**
 * Auto-configuration for Spring Boot 3.5's Redis connection details, when Boot defines
 * them (Spring Data Redis is present, or a service connection): the starter's own Redis
 * client then connects where they say. The core does the same with Spring Boot 4's.
 */
@AutoConfiguration(before = NotifyStompClusterAutoConfiguration.class,
		afterName = { "org.redisson.spring.starter.RedissonAutoConfigurationV2",
				"org.redisson.spring.starter.RedissonAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@ConditionalOnBooleanProperty("notify.stomp.cluster.enabled")
@ConditionalOnClass(name = { "org.redisson.api.RedissonClient",
		"org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails" })
@ConditionalOnBean(RedisConnectionDetails.class)
@ConditionalOnMissingBean(RedissonClient.class)
public class NotifyStompBoot3RedisAutoConfiguration {

	@Bean
	RedisTarget notifyRedisTarget(RedisConnectionDetails details, Environment environment) {
		return RedisConnectionDetailsTarget.of(details, SpringDataRedisProperties.of(environment).isUrlTls());
	}

}
