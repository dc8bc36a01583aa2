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

package io.github.notifystomp.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the sample's demo login.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Token token = new Token();

	public Token getToken() {
		return this.token;
	}

	/**
	 * Demo token properties.
	 */
	public static class Token {

		/**
		 * Secret that signs and verifies demo tokens (HMAC-SHA256), at least 32
		 * characters. Every node of a cluster needs the same value.
		 */
		private String secret;

		/**
		 * How long a demo token is valid.
		 */
		private Duration ttl = Duration.ofHours(1);

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

}
