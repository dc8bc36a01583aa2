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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.DisconnectResult;
import io.github.notifystomp.MessageTypeRegistry;
import io.github.notifystomp.MessageTypeRegistryCustomizer;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.internal.InsecureDevTokenResolver;
import io.github.notifystomp.auth.internal.JwtTokenResolver;
import io.github.notifystomp.auth.internal.RefusingTokenResolver;
import io.github.notifystomp.auth.internal.TokenAuthenticationInterceptor;
import io.github.notifystomp.delivery.internal.DefaultMessageRouter;
import io.github.notifystomp.delivery.internal.DefaultNotifyTemplate;
import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.delivery.internal.NotificationJson;
import io.github.notifystomp.guard.internal.DestinationGuard;
import io.github.notifystomp.json.Jackson2PayloadJson;
import io.github.notifystomp.json.JacksonPayloadJson;
import io.github.notifystomp.json.PayloadJson;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.LocalPresenceRegistry;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the auto-configurations of notify-stomp, without a server.
 */
class NotifyStompAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.jackson(),
				NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
				NotifyStompClusterAutoConfiguration.class, NotifyStompMetricsAutoConfiguration.class,
				NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()));

	@Test
	void whenNoUserBeansThenDefaultsAreConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(NotifyTemplate.class);
			assertThat(context).hasSingleBean(DefaultNotifyTemplate.class);
			assertThat(context).hasSingleBean(RefusingTokenResolver.class);
			assertThat(context).hasSingleBean(MemoryNotifyStore.class);
			assertThat(context).hasSingleBean(LocalPresenceRegistry.class);
			assertThat(context).hasSingleBean(DefaultMessageRouter.class);
			assertThat(context).hasSingleBean(MessageTypeRegistry.class);
			assertThat(context).hasSingleBean(TokenAuthenticationInterceptor.class);
			assertThat(context).hasSingleBean(DestinationGuard.class);
			assertThat(context).hasSingleBean(DelegatingWebSocketMessageBrokerConfiguration.class);
			assertThat(context.getBean(NotifyMetrics.class)).isSameAs(NotifyMetrics.NONE);
		});
	}

	@Test
	void whenTheContextHasStartedThenTheOutboundChannelIsAlreadyPreparedForSessionOutboxes() {
		// preparing it on the first connection would change its interceptor list while
		// other threads send on it (a ConcurrentModificationException under load)
		this.contextRunner.run((context) -> {
			ExecutorSubscribableChannel outbound = context.getBean("clientOutboundChannel",
					ExecutorSubscribableChannel.class);
			assertThat(outbound.getInterceptors()).isNotEmpty();
			assertThat(outbound.getInterceptors().get(0).getClass().getName())
				.isEqualTo("io.github.notifystomp.delivery.internal.SessionOutbox$Callbacks");
		});
	}

	@Test
	void whenStarterEnablesTheBrokerThenBootsJsonConverterAndExecutorsStillApply() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBeansOfType(WebSocketMessageBrokerConfigurer.class))
				.containsKey("notifyStompMessageBrokerConfigurer");
			// Boot's own configurer (its class and bean names differ between Boot lines)
			// took part
			assertThat(context.getBeansOfType(WebSocketMessageBrokerConfigurer.class).values())
				.anyMatch((configurer) -> configurer.getClass().getName().startsWith("org.springframework.boot."));
			assertThat(context.getBean("brokerMessageConverter", CompositeMessageConverter.class).getConverters())
				.anyMatch((converter) -> converter.getClass().getSimpleName().startsWith("Jackson")
						|| converter.getClass().getSimpleName().startsWith("MappingJackson2"));
		});
	}

	@Test
	void whenTheApplicationHasAJsonMapperThenPayloadsAreWrittenWithIt() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			assertThat(context.getBean(PayloadJson.class).toString()).startsWith("the application's");
			assertThat(context.getBean(PayloadJson.class).write(new Named("A-1"))).isEqualTo("{\"order_id\":\"A-1\"}");
		});
	}

	@Test
	void whenOnlyJackson3IsPresentThenPayloadsAreWrittenWithJackson3() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.fasterxml.jackson.databind"))
			.run((context) -> assertThat(context).getBean(PayloadJson.class).isInstanceOf(JacksonPayloadJson.class));
	}

	@Test
	void whenOnlyJackson2IsPresentThenPayloadsAreWrittenWithJackson2() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).getBean(PayloadJson.class).isInstanceOf(Jackson2PayloadJson.class));
	}

	@Test
	void whenNoJacksonIsPresentThenStartupFailsSayingWhatToAdd() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson", "com.fasterxml.jackson.databind"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("neither Jackson 3")
				.hasMessageContaining("define a PayloadJson bean"));
	}

	@Test
	void whenTheApplicationDefinesPayloadJsonThenItWritesPayloads() {
		this.contextRunner.withBean(PayloadJson.class, () -> new PayloadJson() {

			@Override
			public String write(Object payload) {
				return "\"custom\"";
			}

			@Override
			public boolean isSingleValue(String text) {
				return true;
			}

		}).run((context) -> assertThat(context.getBean(NotificationJson.class).payload(1)).isEqualTo("\"custom\""));
	}

	record Named(String orderId) {
	}

	@Test
	void whenUserDefinesTokenResolverThenDefaultBacksOff() {
		this.contextRunner.withUserConfiguration(UserTokenResolverConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TokenResolver.class);
			assertThat(context.getBean(TokenResolver.class)).isSameAs(context.getBean("userTokenResolver"));
		});
	}

	@Test
	void whenJwtDecoderExistsThenJwtTokenResolverIsUsed() {
		this.contextRunner.withUserConfiguration(JwtDecoderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(JwtTokenResolver.class);
			NotifyUser user = context.getBean(TokenResolver.class).resolve("any");
			assertThat(user.id()).isEqualTo("alice");
			// Spring Security 7 adds FACTOR_BEARER, as it does over HTTP
			assertThat(user.authorities()).filteredOn((authority) -> !authority.startsWith("FACTOR_"))
				.containsExactlyInAnyOrder("SCOPE_read", "SCOPE_write");
		});
	}

	@Test
	void whenJwtUserClaimIsConfiguredThenThatClaimIsTheUserId() {
		this.contextRunner.withUserConfiguration(JwtDecoderConfiguration.class)
			.withPropertyValues("notify.stomp.auth.jwt.user-claim=preferred_username")
			.run((context) -> assertThat(context.getBean(TokenResolver.class).resolve("any").id()).isEqualTo("al"));
	}

	@Test
	void whenUserDefinesTokenResolverAndJwtDecoderThenUsersResolverWins() {
		this.contextRunner.withUserConfiguration(JwtDecoderConfiguration.class, UserTokenResolverConfiguration.class)
			.run((context) -> assertThat(context.getBean(TokenResolver.class))
				.isSameAs(context.getBean("userTokenResolver")));
	}

	@Test
	void whenInsecureDevTokensIsOnThenTheTokenIsTheUserId() {
		this.contextRunner.withPropertyValues("notify.stomp.auth.insecure-dev-tokens=true").run((context) -> {
			assertThat(context).hasSingleBean(InsecureDevTokenResolver.class);
			assertThat(context.getBean(TokenResolver.class).resolve("carol").id()).isEqualTo("carol");
		});
	}

	@Test
	void whenUserDefinesNotifyTemplateThenDefaultBacksOff() {
		this.contextRunner.withUserConfiguration(UserNotifyTemplateConfiguration.class)
			.run((context) -> assertThat(context.getBean(NotifyTemplate.class))
				.isSameAs(context.getBean("userNotifyTemplate")));
	}

	@Test
	void whenUserDefinesNotifyStoreThenDefaultBacksOff() {
		this.contextRunner.withUserConfiguration(UserNotifyStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(NotifyStore.class);
			assertThat(context.getBean(NotifyStore.class)).isSameAs(context.getBean("userNotifyStore"));
		});
	}

	@Test
	void whenUserDefinesPresenceRegistryAndRouterThenDefaultsBackOff() {
		this.contextRunner.withUserConfiguration(UserPresenceAndRouterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PresenceRegistry.class);
			assertThat(context).hasSingleBean(MessageRouter.class);
			assertThat(context.getBean(PresenceRegistry.class)).isSameAs(context.getBean("userPresenceRegistry"));
			assertThat(context).doesNotHaveBean(DefaultMessageRouter.class);
		});
	}

	@Test
	void whenUserDefinesMessageTypeRegistryThenDefaultBacksOff() {
		this.contextRunner.withUserConfiguration(UserMessageTypeRegistryConfiguration.class)
			.run((context) -> assertThat(context.getBean(MessageTypeRegistry.class))
				.isSameAs(context.getBean("userMessageTypeRegistry")));
	}

	@Test
	void whenTypesAreConfiguredOrCustomizedThenTheRegistryHasThem() {
		this.contextRunner.withUserConfiguration(TypeCustomizerConfiguration.class)
			.withPropertyValues("notify.stomp.types.order-shipped=java.util.Map", "notify.stomp.strict-types=true")
			.run((context) -> {
				MessageTypeRegistry registry = context.getBean(MessageTypeRegistry.class);
				assertThat(registry.isStrict()).isTrue();
				assertThat(registry.payloadClass("order-shipped")).contains(Map.class);
				assertThat(registry.payloadClass("chat")).contains(String.class);
			});
	}

	@Test
	void whenStoreTypeIsNoneThenNoStoreIsConfigured() {
		this.contextRunner.withPropertyValues("notify.stomp.store.type=none").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(NotifyStore.class);
			SendResult result = context.getBean(NotifyTemplate.class).sendToUser("alice", NotifyMessage.of("t", "x"));
			assertThat(result.seq()).isNull();
		});
	}

	@Test
	void whenUserAlsoEnablesTheBrokerThenOneBrokerConfigurationServesBoth() {
		this.contextRunner.withUserConfiguration(UserBrokerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(DelegatingWebSocketMessageBrokerConfiguration.class);
			assertThat(context.getBeansOfType(WebSocketMessageBrokerConfigurer.class))
				.containsKeys("notifyStompMessageBrokerConfigurer", "userBrokerConfigurer");
		});
	}

	@Test
	void whenDisabledThenNothingIsConfigured() {
		this.contextRunner.withPropertyValues("notify.stomp.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(NotifyTemplate.class);
			assertThat(context).doesNotHaveBean(TokenResolver.class);
			assertThat(context).doesNotHaveBean(NotifyStore.class);
			assertThat(context).doesNotHaveBean(DelegatingWebSocketMessageBrokerConfiguration.class);
		});
	}

	@Test
	void whenNotAWebApplicationThenNothingIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BootAutoConfigurations.jackson(), NotifyStompAuthAutoConfiguration.class,
							NotifyStompStoreAutoConfiguration.class, NotifyStompAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(NotifyTemplate.class);
				assertThat(context).doesNotHaveBean(TokenResolver.class);
			});
	}

	@Test
	void whenSpringWebSocketIsNotOnTheClasspathThenNothingIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketMessageBrokerConfigurer.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(NotifyTemplate.class);
			});
	}

	@Test
	void whenAPropertyValueIsBadThenStartupFailsNamingTheProperty() {
		for (String bad : List.of("notify.stomp.endpoint=ws", "notify.stomp.user-destination=/notify",
				"notify.stomp.limits.max-sessions-per-user=0", "notify.stomp.delivery.replay-limit=-1",
				"notify.stomp.transport.message-size-limit=10B", "notify.stomp.cluster.node-id=a b",
				"notify.stomp.types.x=com.example.NoSuchClass", "notify.stomp.auth.header=Auth orization",
				"notify.stomp.store.jdbc.max-batch-size=0")) {
			String property = bad.substring(0, bad.indexOf('='));
			this.contextRunner.withPropertyValues(bad).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidNotifyStompPropertyException.class)
					.hasMessageContaining(property);
				FailureAnalysis analysis = new InvalidNotifyStompPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(property);
				assertThat(analysis.getAction()).contains(property);
			});
		}
	}

	@Test
	void whenTheRelaySecretIsTooShortThenStartupFailsWithoutPrintingIt() {
		this.contextRunner.withPropertyValues("notify.stomp.cluster.relay-secret=short-secret-xyz").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidNotifyStompPropertyException.class)
				.hasMessageContaining("notify.stomp.cluster.relay-secret")
				.hasMessageContaining("at least 32 characters")
				.hasMessageNotContaining("short-secret-xyz");
			FailureAnalysis analysis = new InvalidNotifyStompPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("short-secret-xyz");
		});
	}

	@Test
	void whenAValueCannotBeConvertedThenStartupFails() {
		this.contextRunner.withPropertyValues("notify.stomp.delivery.ack-timeout=soon")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTokenResolverConfiguration {

		@Bean
		TokenResolver userTokenResolver() {
			return (token) -> NotifyUser.of("user-" + token);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JwtDecoderConfiguration {

		@Bean
		JwtDecoder jwtDecoder() {
			return (token) -> Jwt.withTokenValue(token)
				.header("alg", "none")
				.subject("alice")
				.claim("preferred_username", "al")
				.claim("scope", "read write")
				.expiresAt(Instant.now().plusSeconds(60))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserNotifyTemplateConfiguration {

		@Bean
		NotifyTemplate userNotifyTemplate() {
			return new NotifyTemplate() {

				@Override
				public SendResult sendToUser(String userId, NotifyMessage message) {
					return new SendResult("x", null);
				}

				@Override
				public List<SendResult> sendToUsers(java.util.Collection<String> userIds, NotifyMessage message) {
					return List.of();
				}

				@Override
				public SendResult broadcast(NotifyMessage message) {
					return new SendResult("x", null);
				}

				@Override
				public boolean isOnline(String userId) {
					return false;
				}

				@Override
				public int localOnlineUserCount() {
					return 0;
				}

				@Override
				public long onlineUserCount() {
					return 0;
				}

				@Override
				public DisconnectResult disconnectUser(String userId, Duration refuseReconnectsFor) {
					return new DisconnectResult(userId, true, null);
				}

				@Override
				public void allowReconnects(String userId) {
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserNotifyStoreConfiguration {

		@Bean
		NotifyStore userNotifyStore() {
			return new MemoryNotifyStore(5);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPresenceAndRouterConfiguration {

		@Bean
		PresenceRegistry userPresenceRegistry() {
			return new LocalPresenceRegistry("custom");
		}

		@Bean
		MessageRouter userMessageRouter() {
			return new MessageRouter() {

				@Override
				public void toUser(Notification notification) {
				}

				@Override
				public void broadcast(Notification notification) {
				}

				@Override
				public boolean disconnectUser(String userId, Instant refuseReconnectsUntil) {
					return true;
				}

				@Override
				public void allowReconnects(String userId) {
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMessageTypeRegistryConfiguration {

		@Bean
		MessageTypeRegistry userMessageTypeRegistry() {
			return new MessageTypeRegistry(false);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TypeCustomizerConfiguration {

		@Bean
		MessageTypeRegistryCustomizer chatType() {
			return (registry) -> registry.register("chat", String.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class UserBrokerConfiguration {

		@Bean
		WebSocketMessageBrokerConfigurer userBrokerConfigurer() {
			return new WebSocketMessageBrokerConfigurer() {

				@Override
				public void configureClientInboundChannel(ChannelRegistration registration) {
				}

			};
		}

	}

}
