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

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.SpringVersion;
import org.springframework.util.ClassUtils;

import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.internal.ConnectTickets;
import io.github.notifystomp.auth.internal.InsecureDevTokenResolver;
import io.github.notifystomp.auth.internal.RefusingTokenResolver;
import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.presence.ClusterNode;
import io.github.notifystomp.presence.LocalPresenceRegistry;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;

/**
 * Logs one line at startup that says what was configured, and a warning for each thing
 * that works other than the application most likely expects: no authentication, a
 * {@code JwtDecoder} or {@code DataSource} that is there but not used, a Spring Framework
 * below the security floor of its line.
 */
class NotifyStompStartupLog implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog("io.github.notifystomp");

	private final ObjectProvider<NotifyStompProperties> properties;

	private final ObjectProvider<TokenResolver> tokenResolver;

	private final ObjectProvider<NotifyStore> store;

	private final ObjectProvider<PresenceRegistry> presence;

	private final ObjectProvider<ClusterNode> node;

	private final ObjectProvider<PayloadJson> payloadJson;

	private final ObjectProvider<ConnectTickets> tickets;

	private final ListableBeanFactory beanFactory;

	NotifyStompStartupLog(ObjectProvider<NotifyStompProperties> properties, ObjectProvider<TokenResolver> tokenResolver,
			ObjectProvider<NotifyStore> store, ObjectProvider<PresenceRegistry> presence,
			ObjectProvider<ClusterNode> node, ObjectProvider<PayloadJson> payloadJson,
			ObjectProvider<ConnectTickets> tickets, ListableBeanFactory beanFactory) {
		this.properties = properties;
		this.tokenResolver = tokenResolver;
		this.store = store;
		this.presence = presence;
		this.node = node;
		this.payloadJson = payloadJson;
		this.tickets = tickets;
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		NotifyStompProperties properties = this.properties.getObject();
		TokenResolver resolver = this.tokenResolver.getIfUnique();
		ConnectTickets tickets = this.tickets.getIfAvailable();
		NotifyStore store = this.store.getIfAvailable();
		PresenceRegistry presence = this.presence.getIfAvailable();
		String cluster = (presence == null || presence instanceof LocalPresenceRegistry) ? "off"
				: "node " + this.node.getObject().id() + " ("
						+ properties.getCluster().getRouting().name().toLowerCase() + " routing)";
		logger.info("notify-stomp: STOMP endpoint " + properties.getEndpoint()
				+ (properties.getSockjs().isEnabled() ? " (+ SockJS)" : "") + ", user destination "
				+ properties.getClientUserDestination() + ", broadcast " + properties.getBroadcastDestination()
				+ ", auth "
				+ ((tickets != null) ? "tickets at " + properties.getAuth().getTicket().getPath() + ", else " : "")
				+ name(resolver) + ", store " + storeName(store) + ", cluster " + cluster + ", payloads written by "
				+ this.payloadJson.getIfAvailable());
		String framework = SpringFrameworkFloor.warning(SpringVersion.getVersion());
		if (framework != null) {
			logger.warn(framework);
		}
		int jwtDecoders = beanCount("org.springframework.security.oauth2.jwt.JwtDecoder");
		if (resolver instanceof RefusingTokenResolver && jwtDecoders > 0) {
			logger.warn("notify-stomp: the application defines a JwtDecoder, but notify-stomp did not find it when it"
					+ " chose how to check STOMP tokens (it was defined after notify-stomp's auth auto-configuration),"
					+ " so every STOMP CONNECT will be refused. Define a @Bean TokenResolver that uses it.");
		}
		else if (resolver instanceof RefusingTokenResolver && tickets == null) {
			logger.warn("notify-stomp: no TokenResolver bean is defined and no JwtDecoder is available, so every"
					+ " STOMP CONNECT will be refused. Define a @Bean TokenResolver that turns your tokens into a"
					+ " NotifyUser, or configure Spring Security's JwtDecoder (spring.security.oauth2.resourceserver.jwt.*).");
		}
		else if (resolver instanceof InsecureDevTokenResolver) {
			logger.warn("notify-stomp: notify.stomp.auth.insecure-dev-tokens is on: the token is taken as the user"
					+ " id and anyone can connect as anyone. Never use this outside local development.");
		}
		int dataSources = beanCount("javax.sql.DataSource");
		if (store instanceof MemoryNotifyStore && dataSources > 0
				&& properties.getStore().getType() == NotifyStompProperties.Store.StoreType.AUTO) {
			logger.warn("notify-stomp: the application defines " + dataSources + " DataSource bean(s), but keeps"
					+ " notifications in memory (lost on restart) because "
					+ ((dataSources > 1) ? "it cannot tell which DataSource holds its store: mark one @Primary"
							: "it found the DataSource too late, or spring-jdbc is not on the class path")
					+ ". Set notify.stomp.store.type=memory to make memory the intended choice.");
		}
		if (store instanceof MemoryNotifyStore && presence != null && !(presence instanceof LocalPresenceRegistry)) {
			logger.warn("notify-stomp: cluster mode with the in-memory store: each node keeps its own messages, so a"
					+ " user who reconnects to another node cannot replay them. Use the JDBC store in a cluster.");
		}
	}

	private int beanCount(String typeName) {
		if (!ClassUtils.isPresent(typeName, getClass().getClassLoader())) {
			return 0;
		}
		return this.beanFactory.getBeanNamesForType(ClassUtils.resolveClassName(typeName, getClass().getClassLoader()),
				true, false).length;
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
