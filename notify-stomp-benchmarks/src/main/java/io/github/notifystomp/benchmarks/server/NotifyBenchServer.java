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

package io.github.notifystomp.benchmarks.server;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.benchmarks.common.BenchController;
import io.github.notifystomp.benchmarks.common.BenchPayload;
import io.github.notifystomp.benchmarks.common.BenchSender;
import io.github.notifystomp.benchmarks.common.BenchTokens;

/**
 * A notify-stomp node as an application would run it: the starter, configured through
 * {@code notify.stomp.*} on the command line, with a {@link TokenResolver} for the
 * benchmark-only HMAC tokens ({@link BenchTokens}) and the benchmark trigger.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(BenchController.class)
public class NotifyBenchServer {

	@Bean
	BenchTokens benchTokens(@Value("${bench.token-secret}") String secret) {
		return new BenchTokens(secret);
	}

	// benchmark only: the tokens' secret comes from the suite's command line
	@Bean
	TokenResolver benchTokenResolver(BenchTokens tokens) {
		return (token) -> {
			try {
				BenchTokens.Verified verified = tokens.verify(token);
				return NotifyUser.of(verified.userId(), verified.expiresAt());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidTokenException(ex.getMessage());
			}
		};
	}

	@Bean
	BenchSender benchSender(NotifyTemplate template,
			@Value("${bench.transient-messages:true}") boolean transientMessages) {
		return new NotifyStompSender(template, transientMessages);
	}

	/**
	 * Start a node.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(NotifyBenchServer.class, args);
	}

	/**
	 * Sends through {@link NotifyTemplate}.
	 */
	static final class NotifyStompSender implements BenchSender {

		private final NotifyTemplate template;

		private final boolean transientMessages;

		NotifyStompSender(NotifyTemplate template, boolean transientMessages) {
			this.template = template;
			this.transientMessages = transientMessages;
		}

		@Override
		public void sendToUser(String userId, BenchPayload payload) {
			this.template.sendToUser(userId, message(payload));
		}

		@Override
		public void broadcast(BenchPayload payload) {
			this.template.broadcast(message(payload));
		}

		@Override
		public long knownUsers() {
			return this.template.onlineUserCount();
		}

		private NotifyMessage message(BenchPayload payload) {
			NotifyMessage.Builder builder = NotifyMessage.builder("bench").payload(payload);
			return (this.transientMessages ? builder.transientMessage() : builder).build();
		}

	}

}
