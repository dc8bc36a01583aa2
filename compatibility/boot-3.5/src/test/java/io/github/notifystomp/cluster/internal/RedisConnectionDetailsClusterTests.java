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

import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot 3.5's {@link RedisConnectionDetails}, adapted by
 * notify-stomp-autoconfigure-boot3.
 */
class RedisConnectionDetailsClusterTests extends AbstractConnectionDetailsClusterTests {

	@Override
	Class<?> serviceConnection() {
		return ServiceConnection.class;
	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConnection {

		@Bean
		RedisConnectionDetails serviceConnection() {
			return new RedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of(redis().getHost(), redis().getPort());
				}

			};
		}

	}

}
