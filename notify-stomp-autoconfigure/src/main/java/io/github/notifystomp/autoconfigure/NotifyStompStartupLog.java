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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.InsecureDevTokenResolver;
import io.github.notifystomp.auth.RefusingTokenResolver;
import io.github.notifystomp.cluster.ClusterNode;
import io.github.notifystomp.cluster.LocalPresenceRegistry;
import io.github.notifystomp.cluster.PresenceRegistry;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;

/**
 * Logs one line at startup that says what was configured, and a warning when
 * authentication is not.
 */
class NotifyStompStartupLog implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog("io.github.notifystomp");

	private final ObjectProvider<NotifyStompProperties> properties;

	private final ObjectProvider<TokenResolver> tokenResolver;

	private final ObjectProvider<NotifyStore> store;

	private final ObjectProvider<PresenceRegistry> presence;

	private final ObjectProvider<ClusterNode> node;

	NotifyStompStartupLog(ObjectProvider<NotifyStompProperties> properties, ObjectProvider<TokenResolver> tokenResolver,
			ObjectProvider<NotifyStore> store, ObjectProvider<PresenceRegistry> presence,
			ObjectProvider<ClusterNode> node) {
		this.properties = properties;
		this.tokenResolver = tokenResolver;
		this.store = store;
		this.presence = presence;
		this.node = node;
	}

	@Override
	public void afterSingletonsInstantiated() {
		NotifyStompProperties properties = this.properties.getObject();
		TokenResolver resolver = this.tokenResolver.getIfUnique();
		NotifyStore store = this.store.getIfAvailable();
		PresenceRegistry presence = this.presence.getIfAvailable();
		String cluster = (presence == null || presence instanceof LocalPresenceRegistry) ? "off"
				: "node " + this.node.getObject().id() + " ("
						+ properties.getCluster().getRouting().name().toLowerCase() + " routing)";
		logger.info("notify-stomp: STOMP endpoint " + properties.getEndpoint()
				+ (properties.getSockjs().isEnabled() ? " (+ SockJS)" : "") + ", user destination "
				+ properties.getClientUserDestination() + ", broadcast " + properties.getBroadcastDestination()
				+ ", auth " + name(resolver) + ", store " + storeName(store) + ", cluster " + cluster);
		if (resolver instanceof RefusingTokenResolver) {
			logger.warn("notify-stomp: no TokenResolver bean is defined and no JwtDecoder is available, so every"
					+ " STOMP CONNECT will be refused. Define a @Bean TokenResolver that turns your tokens into a"
					+ " NotifyUser, or configure Spring Security's JwtDecoder (spring.security.oauth2.resourceserver.jwt.*).");
		}
		else if (resolver instanceof InsecureDevTokenResolver) {
			logger.warn("notify-stomp: notify.stomp.auth.insecure-dev-tokens is on: the token is taken as the user"
					+ " id and anyone can connect as anyone. Never use this outside local development.");
		}
		if (store instanceof MemoryNotifyStore && presence != null && !(presence instanceof LocalPresenceRegistry)) {
			logger.warn("notify-stomp: cluster mode with the in-memory store: each node keeps its own messages, so a"
					+ " user who reconnects to another node cannot replay them. Use the JDBC store in a cluster.");
		}
	}

	private static String name(Object bean) {
		if (bean == null) {
			return "none";
		}
		// lambdas and inner classes have no readable simple name
		String name = bean.getClass().getSimpleName();
		return (name.isEmpty() || name.contains("$$")) ? "the application's TokenResolver" : name;
	}

	private static String storeName(NotifyStore store) {
		return (store != null) ? store.getClass().getSimpleName() : "none (no replay, no redelivery)";
	}

}
