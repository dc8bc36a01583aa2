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

package io.github.notifystomp.benchmarks.common;

import java.security.Principal;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Token authentication on CONNECT for the Spring baselines, as Spring's reference guide
 * shows it: an inbound channel interceptor that verifies the bearer token of the CONNECT
 * frame and sets the session's user. It verifies the same tokens as the notify-stomp
 * server, so both pay the same for authentication.
 */
public class BearerTokenInterceptor implements ChannelInterceptor {

	private final BenchTokens tokens;

	/**
	 * Create the interceptor.
	 * @param tokens verifies tokens
	 */
	public BearerTokenInterceptor(BenchTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor != null && StompCommand.CONNECT.equals(accessor.getCommand())) {
			String header = accessor.getFirstNativeHeader("Authorization");
			if (header == null || !header.startsWith("Bearer ")) {
				throw new MessageDeliveryException("Missing bearer token");
			}
			try {
				String userId = this.tokens.verify(header.substring(7)).userId();
				accessor.setUser(new BenchPrincipal(userId));
			}
			catch (IllegalArgumentException ex) {
				throw new MessageDeliveryException("Invalid token: " + ex.getMessage());
			}
		}
		return message;
	}

	/**
	 * The user of a baseline session.
	 *
	 * @param name the user id
	 */
	public record BenchPrincipal(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
