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

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.internal.ConnectThrottle;
import io.github.notifystomp.auth.internal.ConnectTickets;
import io.github.notifystomp.auth.internal.HandshakeGuard;
import io.github.notifystomp.auth.internal.MemoryTicketRedemptions;
import io.github.notifystomp.auth.internal.TicketEndpoint;
import io.github.notifystomp.auth.TicketRedemptions;
import io.github.notifystomp.auth.internal.TokenAuthenticationInterceptor;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.guard.internal.DestinationGuard;
import io.github.notifystomp.guard.internal.FrameLimits;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.transport.internal.StompErrorHandler;
import io.github.notifystomp.transport.internal.WebSocketConnections;

/**
 * Auto-configuration for CONNECT authentication and destination rules. The
 * {@link TokenResolver} is the application's bean when it defines one; otherwise a JWT
 * resolver over Spring Security's {@code JwtDecoder} when there is one, which takes the
 * user as Spring Security's resource server does over HTTP; otherwise the insecure
 * development resolver if explicitly enabled; otherwise one that refuses every CONNECT.
 */
@AutoConfiguration(before = NotifyStompAutoConfiguration.class, afterName = {
		// Boot 4.1, Boot 4.0, Boot 3.5
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@EnableConfigurationProperties(NotifyStompProperties.class)
@Import({ TokenResolverConfigurations.JwtFollowingSpringSecurity.class, TokenResolverConfigurations.Jwt.class,
		TokenResolverConfigurations.InsecureDev.class, TokenResolverConfigurations.Refusing.class })
public class NotifyStompAuthAutoConfiguration {

	@Bean
	ConnectThrottle notifyConnectThrottle(NotifyStompProperties properties) {
		NotifyStompProperties.Auth.FailureThrottle throttle = properties.getAuth().getFailureThrottle();
		return new ConnectThrottle(throttle.getMaxFailures(), throttle.getWindow());
	}

	@Bean
	UserBlocks notifyUserBlocks() {
		return new UserBlocks();
	}

	@Bean
	TokenAuthenticationInterceptor notifyTokenAuthenticationInterceptor(TokenResolver tokenResolver,
			ObjectProvider<ConnectTickets> tickets, NotifyStompProperties properties,
			ObjectProvider<NotifyMetrics> metrics, ConnectThrottle throttle, UserBlocks blocks) {
		// tickets first, any other token to the application's resolver
		ConnectTickets connectTickets = tickets.getIfAvailable();
		TokenResolver resolver = (connectTickets != null) ? connectTickets.orElse(tokenResolver) : tokenResolver;
		return new TokenAuthenticationInterceptor(resolver, properties.getAuth().getHeader(),
				properties.getAuth().getMaxTokenLength(), metrics.getIfAvailable(() -> NotifyMetrics.NONE), throttle,
				blocks);
	}

	@Bean
	FrameLimits notifyFrameLimits(NotifyStompProperties properties, ObjectProvider<NotifyMetrics> metrics) {
		NotifyStompProperties.Limits limits = properties.getLimits();
		return new FrameLimits(
				new FrameLimits.Settings(limits.getMaxHeaders(), limits.getMaxHeaderLength(),
						limits.getMaxSubscriptionsPerSession(), limits.getSendRate(), limits.getSendBurst()),
				metrics.getIfAvailable(() -> NotifyMetrics.NONE));
	}

	@Bean
	DestinationGuard notifyDestinationGuard(NotifyStompProperties properties, ObjectProvider<NotifyMetrics> metrics) {
		return new DestinationGuard(properties.getClientUserDestination(), properties.getBroadcastDestination(),
				properties.getApplicationDestinationPrefix(), properties.getExtraSubscribePatterns(),
				metrics.getIfAvailable(() -> NotifyMetrics.NONE));
	}

	@Bean
	StompErrorHandler notifyStompErrorHandler(WebSocketConnections connections) {
		return new StompErrorHandler(connections);
	}

	@Bean
	HandshakeGuard notifyHandshakeGuard(NotifyStompProperties properties) {
		return new HandshakeGuard(properties.getAllowedOriginPatterns());
	}

	/**
	 * CONNECT tickets for session-based applications: the endpoint that issues them to
	 * the user of an authenticated request, and the tickets, which the CONNECT checks
	 * before the application's own tokens. Single-use through the cluster's Redis in
	 * cluster mode, else in memory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("notify.stomp.auth.ticket.enabled")
	@ConditionalOnClass(name = { "org.springframework.security.core.context.SecurityContextHolder",
			"org.springframework.web.servlet.function.RouterFunction" })
	static class TicketConfiguration {

		@Bean
		ConnectTickets notifyConnectTickets(NotifyStompProperties properties,
				ObjectProvider<TicketRedemptions> redemptions) {
			NotifyStompProperties.Auth.Ticket ticket = properties.getAuth().getTicket();
			String secret = (ticket.getSecret() != null) ? ticket.getSecret() : ConnectTickets.randomSecret();
			return new ConnectTickets(secret, ticket.getTtl(), redemptions.getIfAvailable(MemoryTicketRedemptions::new),
					Clock.systemUTC());
		}

		@Bean
		RouterFunction<ServerResponse> notifyTicketEndpoint(ConnectTickets tickets, NotifyStompProperties properties) {
			return RouterFunctions.route(RequestPredicates.POST(properties.getAuth().getTicket().getPath()),
					new TicketEndpoint(tickets));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("notify.stomp.auth.ticket.enabled")
	@ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
	static class TicketsWithoutSpringSecurity {

		@Bean
		Object notifyTicketsRequireSpringSecurity() {
			throw new InvalidNotifyStompPropertyException("notify.stomp.auth.ticket.enabled", true,
					"tickets are issued to Spring Security's authenticated user, and Spring Security is not on the"
							+ " class path: add spring-boot-starter-security");
		}

	}

	/**
	 * Spring Security's {@code @EnableWebSocketSecurity} demands a CSRF token in every
	 * CONNECT, which a client that sends a bearer token has no way to get
	 * (spring-security#13640). CSRF protects identities a browser attaches by itself
	 * (cookies); the starter takes the identity only from the CONNECT's bearer token and
	 * never from the handshake's cookie session, so a cross-site page cannot connect as
	 * anyone, and the CSRF check can be left out. The application's message authorization
	 * rules still apply.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity")
	static class WebSocketSecurityConfiguration {

		@Bean(name = "csrfChannelInterceptor")
		@ConditionalOnMissingBean(name = "csrfChannelInterceptor")
		ChannelInterceptor csrfChannelInterceptor() {
			return new ChannelInterceptor() {
			};
		}

	}

}
