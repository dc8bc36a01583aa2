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

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.messaging.MessageChannel;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;

import io.github.notifystomp.MessageTypeRegistry;
import io.github.notifystomp.MessageTypeRegistryCustomizer;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.internal.ConnectTickets;
import io.github.notifystomp.auth.internal.HandshakeGuard;
import io.github.notifystomp.auth.internal.TokenAuthenticationInterceptor;
import io.github.notifystomp.auth.internal.UserBlocks;
import io.github.notifystomp.delivery.ClusterRelay;
import io.github.notifystomp.delivery.internal.DefaultMessageRouter;
import io.github.notifystomp.delivery.internal.DefaultNotifyTemplate;
import io.github.notifystomp.delivery.internal.DeliveryLifecycle;
import io.github.notifystomp.delivery.internal.DeliveryTasks;
import io.github.notifystomp.delivery.internal.DrainParticipant;
import io.github.notifystomp.delivery.internal.LocalSession;
import io.github.notifystomp.delivery.internal.DeliverySettings;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.internal.NotificationJson;
import io.github.notifystomp.delivery.internal.OutboundGuard;
import io.github.notifystomp.delivery.internal.Redelivery;
import io.github.notifystomp.delivery.internal.SessionDrain;
import io.github.notifystomp.delivery.internal.SessionTracker;
import io.github.notifystomp.delivery.internal.SlowConsumerThrottle;
import io.github.notifystomp.guard.internal.DestinationGuard;
import io.github.notifystomp.guard.internal.FrameLimits;
import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.ClusterNode;
import io.github.notifystomp.presence.LocalPresenceRegistry;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.transport.internal.StompErrorHandler;
import io.github.notifystomp.transport.internal.InboundLimits;
import io.github.notifystomp.transport.internal.WebSocketConnections;

/**
 * Auto-configuration for STOMP notifications: the STOMP endpoint and broker, delivery to
 * this node's sessions, and the {@link NotifyTemplate}. Runs after Boot's Jackson
 * auto-configuration, whose mapper writes payloads, and before Boot's WebSocket messaging
 * auto-configuration, which then adds its JSON converter and executors to the broker
 * enabled here. Both are named as on Spring Boot 4 and on Spring Boot 3.5.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
				"org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration" },
		beforeName = { "org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration",
				"org.springframework.boot.autoconfigure.websocket.servlet.WebSocketMessagingAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@EnableConfigurationProperties(NotifyStompProperties.class)
@EnableWebSocketMessageBroker
// in this order: the application's Jackson 3 or 2 mapper, else a mapper of the
// starter's own
@Import({ PayloadJsonConfigurations.ApplicationJackson.class, PayloadJsonConfigurations.ApplicationJackson2.class,
		PayloadJsonConfigurations.OwnJackson.class, PayloadJsonConfigurations.OwnJackson2.class,
		PayloadJsonConfigurations.NoJackson.class })
public class NotifyStompAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MessageTypeRegistry notifyMessageTypeRegistry(NotifyStompProperties properties,
			ObjectProvider<MessageTypeRegistryCustomizer> customizers) throws ClassNotFoundException {
		MessageTypeRegistry registry = new MessageTypeRegistry(properties.isStrictTypes());
		for (var type : properties.getTypes().entrySet()) {
			registry.register(type.getKey(), Class.forName(type.getValue(), false, getClass().getClassLoader()));
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(registry));
		return registry;
	}

	@Bean
	ClusterNode notifyClusterNode(NotifyStompProperties properties) {
		return new ClusterNode(properties.getCluster().getNodeId());
	}

	@Bean
	@ConditionalOnMissingBean
	NotifyMetrics notifyMetrics() {
		return NotifyMetrics.NONE;
	}

	@Bean
	DeliveryTasks notifyDeliveryTasks() {
		return new DeliveryTasks(2, 10_000);
	}

	@Bean
	WebSocketConnections notifyWebSocketConnections(DeliveryTasks tasks, NotifyStompProperties properties,
			NotifyMetrics metrics) {
		return new WebSocketConnections(tasks.scheduler(), properties.getTransport().getConnectTimeout(), metrics,
				properties.getAuth().getHeader(), properties.getTransport().getSendTimeLimit(),
				properties.getTransport().getSendBufferSizeLimit().toBytes(),
				properties.getHeartbeat().getIdleTimeout(),
				new InboundLimits((int) properties.getTransport().getInboundBufferSize().toBytes(),
						(int) properties.getTransport().getMessageSizeLimit().toBytes()),
				(int) properties.getTransport().getCoalesceSizeLimit().toBytes());
	}

	@Bean
	NotificationJson notifyNotificationJson(PayloadJson payloadJson) {
		return new NotificationJson(payloadJson);
	}

	@Bean
	Redelivery notifyRedelivery(ObjectProvider<NotifyStore> store, ObjectProvider<MessageRouter> router,
			NotifyStompProperties properties, NotifyMetrics metrics, DeliveryTasks tasks) {
		NotifyStompProperties.Delivery delivery = properties.getDelivery();
		return new Redelivery(store.getIfAvailable(), router::getObject, delivery.getAckTimeout(),
				delivery.getMaxAttempts(), 100_000, metrics, tasks.replayExecutor());
	}

	@Bean
	SlowConsumerThrottle notifySlowConsumerThrottle(NotifyStompProperties properties) {
		NotifyStompProperties.Transport.SlowConsumerThrottle throttle = properties.getTransport()
			.getSlowConsumerThrottle();
		return new SlowConsumerThrottle(throttle.getMaxCloses(), throttle.getWindow());
	}

	@Bean
	LocalSessions notifyLocalSessions(NotifyStompProperties properties, NotificationJson json, BeanFactory beanFactory,
			DeliveryTasks tasks, ObjectProvider<NotifyStore> store, Redelivery redelivery,
			WebSocketConnections connections, NotifyMetrics metrics, SlowConsumerThrottle slowConsumers) {
		NotifyStompProperties.Transport transport = properties.getTransport();
		DeliverySettings settings = new DeliverySettings(properties.getClientUserDestination(),
				properties.getBroadcastDestination(), properties.getDelivery().getReplayLimit(),
				properties.getLimits().getMaxUnackedPerSubscription(), transport.getOutboundQueueLimit(),
				transport.getSendBufferSizeLimit().toBytes(),
				transport.getSlowConsumerPolicy() == NotifyStompProperties.Transport.SlowConsumerPolicy.DROP_NEWEST,
				transport.getSendTimeLimit());
		LocalSessions sessions = new LocalSessions(settings, json,
				() -> beanFactory.getBean("clientOutboundChannel", MessageChannel.class), tasks.scheduler(),
				store.getIfAvailable(), tasks.replayExecutor(), redelivery, connections, metrics);
		connections.setConnected((sessionId) -> sessions.get(sessionId) != null);
		connections.setSlowConsumerListener((sessionId) -> {
			LocalSession session = sessions.get(sessionId);
			if (session != null) {
				slowConsumers.record(session.user().id());
			}
		});
		return sessions;
	}

	// before the web server starts: preparing the channel later would change its
	// interceptor list while other threads send on it
	@Bean
	SmartInitializingSingleton notifyOutboundChannelPreparation(ObjectProvider<LocalSessions> sessions) {
		return () -> sessions.ifAvailable(LocalSessions::prepareOutboundChannel);
	}

	@Bean
	@ConditionalOnMissingBean(PresenceRegistry.class)
	LocalPresenceRegistry notifyPresenceRegistry(ClusterNode node) {
		return new LocalPresenceRegistry(node.id());
	}

	@Bean
	@ConditionalOnMissingBean(ClusterRelay.class)
	ClusterRelay notifyClusterRelay() {
		return ClusterRelay.NONE;
	}

	@Bean
	@ConditionalOnMissingBean(MessageRouter.class)
	DefaultMessageRouter notifyMessageRouter(LocalSessions sessions, UserBlocks blocks, ClusterRelay relay) {
		return new DefaultMessageRouter(sessions, blocks, relay);
	}

	@Bean
	SessionTracker notifySessionTracker(LocalSessions sessions, PresenceRegistry presence, ClusterRelay relay,
			NotifyStompProperties properties, NotifyMetrics metrics, SlowConsumerThrottle slowConsumers) {
		SessionTracker.SessionLimit limit = new SessionTracker.SessionLimit(
				properties.getLimits().getMaxSessionsPerUser(), properties.getAuth()
					.getSessionLimitPolicy() == NotifyStompProperties.Auth.SessionLimitPolicy.CLOSE_OLDEST);
		return new SessionTracker(sessions, presence, relay, limit, properties.getClientUserDestination(), metrics,
				slowConsumers);
	}

	@Bean
	OutboundGuard notifyOutboundGuard(LocalSessions sessions) {
		return new OutboundGuard(sessions);
	}

	@Bean
	DeliveryLifecycle notifyDeliveryLifecycle(Redelivery redelivery, DeliveryTasks tasks,
			NotifyStompProperties properties) {
		return new DeliveryLifecycle(redelivery, tasks.scheduler(), properties.getDelivery().getAckTimeout());
	}

	@Bean
	SessionDrain notifySessionDrain(LocalSessions sessions, ObjectProvider<DrainParticipant> participants,
			NotifyStompProperties properties) {
		return new SessionDrain(sessions, () -> participants.orderedStream().toList(),
				properties.getShutdown().getDrainTimeout(), properties.getShutdown().getReconnectWindow());
	}

	@Bean
	NotifyStompChannelExecutorConfigurer notifyStompChannelExecutorConfigurer() {
		return new NotifyStompChannelExecutorConfigurer(Runtime.getRuntime().availableProcessors());
	}

	@Bean
	@ConditionalOnMissingBean(NotifyTemplate.class)
	DefaultNotifyTemplate notifyTemplate(NotificationJson json, MessageTypeRegistry types,
			ObjectProvider<NotifyStore> store, MessageRouter router, PresenceRegistry presence, LocalSessions sessions,
			NotifyStompProperties properties, NotifyMetrics metrics) {
		return new DefaultNotifyTemplate(json, types, store.getIfAvailable(), router, presence, sessions,
				properties.getLimits().getMaxPayloadSize().toBytes(), metrics);
	}

	@Bean
	NotifyStompMessageBrokerConfigurer notifyStompMessageBrokerConfigurer(NotifyStompProperties properties,
			TokenAuthenticationInterceptor authentication, DestinationGuard destinationGuard, FrameLimits frameLimits,
			SessionTracker sessionTracker, OutboundGuard outboundGuard, StompErrorHandler errorHandler,
			HandshakeGuard handshakeGuard, DeliveryTasks tasks, WebSocketConnections connections) {
		return new NotifyStompMessageBrokerConfigurer(properties, authentication, destinationGuard, frameLimits,
				sessionTracker, outboundGuard, errorHandler, handshakeGuard, tasks, connections);
	}

	@Bean
	static UnknownPropertyWarnings notifyUnknownPropertyWarnings(Environment environment) {
		return new UnknownPropertyWarnings(environment);
	}

	@Bean
	static NotifyStompStartupLog notifyStompStartupLog(ObjectProvider<NotifyStompProperties> properties,
			ObjectProvider<TokenResolver> tokenResolver, ObjectProvider<NotifyStore> store,
			ObjectProvider<PresenceRegistry> presence, ObjectProvider<ClusterNode> node,
			ObjectProvider<PayloadJson> payloadJson, ObjectProvider<ConnectTickets> tickets,
			ListableBeanFactory beanFactory) {
		return new NotifyStompStartupLog(properties, tokenResolver, store, presence, node, payloadJson, tickets,
				beanFactory);
	}

}
