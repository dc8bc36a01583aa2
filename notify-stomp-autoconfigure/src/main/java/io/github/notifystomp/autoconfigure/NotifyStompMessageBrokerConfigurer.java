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

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.support.ImmutableMessageChannelInterceptor;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.StompWebSocketEndpointRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.server.HandshakeHandler;

import io.github.notifystomp.auth.internal.HandshakeGuard;
import io.github.notifystomp.auth.internal.TokenAuthenticationInterceptor;
import io.github.notifystomp.delivery.internal.DeliveryTasks;
import io.github.notifystomp.delivery.internal.OutboundGuard;
import io.github.notifystomp.delivery.internal.SessionTracker;
import io.github.notifystomp.guard.internal.DestinationGuard;
import io.github.notifystomp.guard.internal.FrameLimits;
import io.github.notifystomp.transport.internal.Handshakes;
import io.github.notifystomp.transport.internal.StompErrorHandler;
import io.github.notifystomp.transport.internal.WebSocketConnections;

/**
 * Sets up the STOMP endpoint, the broker and the interceptors of the starter. Ordered
 * ahead of Spring Security's message interceptors, as Spring's token-authentication guide
 * asks, so the session has its user before any authorization rule runs. A user's own
 * configurer still composes with this one.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class NotifyStompMessageBrokerConfigurer implements WebSocketMessageBrokerConfigurer {

	private final NotifyStompProperties properties;

	private final TokenAuthenticationInterceptor authentication;

	private final DestinationGuard destinationGuard;

	private final FrameLimits frameLimits;

	private final SessionTracker sessionTracker;

	private final OutboundGuard outboundGuard;

	private final StompErrorHandler errorHandler;

	private final HandshakeGuard handshakeGuard;

	private final DeliveryTasks tasks;

	private final WebSocketConnections connections;

	NotifyStompMessageBrokerConfigurer(NotifyStompProperties properties, TokenAuthenticationInterceptor authentication,
			DestinationGuard destinationGuard, FrameLimits frameLimits, SessionTracker sessionTracker,
			OutboundGuard outboundGuard, StompErrorHandler errorHandler, HandshakeGuard handshakeGuard,
			DeliveryTasks tasks, WebSocketConnections connections) {
		this.properties = properties;
		this.authentication = authentication;
		this.destinationGuard = destinationGuard;
		this.frameLimits = frameLimits;
		this.sessionTracker = sessionTracker;
		this.outboundGuard = outboundGuard;
		this.errorHandler = errorHandler;
		this.handshakeGuard = handshakeGuard;
		this.tasks = tasks;
		this.connections = connections;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.setErrorHandler(this.errorHandler);
		configure(registry.addEndpoint(this.properties.getEndpoint()));
		if (this.properties.getSockjs().isEnabled()) {
			configure(registry.addEndpoint(this.properties.getEndpoint() + "-sockjs")).withSockJS();
		}
	}

	private StompWebSocketEndpointRegistration configure(StompWebSocketEndpointRegistration registration) {
		registration.addInterceptors(this.handshakeGuard);
		HandshakeHandler handshakeHandler = Handshakes.handler();
		if (handshakeHandler != null) {
			registration.setHandshakeHandler(handshakeHandler);
		}
		if (!this.properties.getAllowedOriginPatterns().isEmpty()) {
			registration.setAllowedOriginPatterns(this.properties.getAllowedOriginPatterns().toArray(String[]::new));
		}
		return registration;
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		Set<String> brokerPrefixes = new LinkedHashSet<>();
		brokerPrefixes.add(firstSegment(this.properties.getUserDestination()));
		brokerPrefixes.add(firstSegment(this.properties.getBroadcastDestination()));
		for (String pattern : this.properties.getExtraSubscribePatterns()) {
			brokerPrefixes.add(firstSegment(pattern));
		}
		registry.enableSimpleBroker(brokerPrefixes.toArray(String[]::new))
			.setTaskScheduler(this.tasks.scheduler())
			.setHeartbeatValue(new long[] { this.properties.getHeartbeat().getServer().toMillis(),
					this.properties.getHeartbeat().getClient().toMillis() });
		registry.setApplicationDestinationPrefixes(this.properties.getApplicationDestinationPrefix());
		registry.setUserDestinationPrefix("/user");
		registry.setPreservePublishOrder(true);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		// authentication first, then the destination rules, then
		// session tracking; the immutable interceptor lets the
		// first ones strip the token from the CONNECT in place
		registration.interceptors(this.authentication, this.destinationGuard, this.frameLimits, this.sessionTracker,
				new ImmutableMessageChannelInterceptor());
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.outboundGuard);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		NotifyStompProperties.Transport transport = this.properties.getTransport();
		registration.setMessageSizeLimit((int) transport.getMessageSizeLimit().toBytes())
			.setSendBufferSizeLimit((int) transport.getSendBufferSizeLimit().toBytes())
			.setSendTimeLimit((int) transport.getSendTimeLimit().toMillis())
			.setTimeToFirstMessage((int) transport.getConnectTimeout().toMillis())
			.addDecoratorFactory(this.connections);
	}

	private static String firstSegment(String destination) {
		int slash = destination.indexOf('/', 1);
		return (slash > 0) ? destination.substring(0, slash) : destination;
	}

}
