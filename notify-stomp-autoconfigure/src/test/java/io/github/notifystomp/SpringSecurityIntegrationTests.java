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

package io.github.notifystomp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter beside Spring Security's {@code @EnableWebSocketSecurity}: header-token
 * clients connect without a CSRF token, the application's message rules still apply, and
 * a cookie or Basic session of the handshake never stands in for the token.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SpringSecurityIntegrationTests.SecuredApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "notify.stomp.extra-subscribe-patterns=/topic/admin")
class SpringSecurityIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Autowired
	SimpMessagingTemplate brokerTemplate;

	@Autowired
	SimpUserRegistry userRegistry;

	@Test
	void whenWebSocketSecurityIsOnThenAHeaderTokenClientConnectsAndReceives() {
		try (StompTestClient victor = StompTestClient.connect(this.port, "valid-victor")) {
			Subscription inbox = victor.subscribe("/user/queue/notify");
			await().until(() -> this.sessions.sessionsOf("victor")
				.stream()
				.anyMatch((session) -> session.userSubscriptionCount() > 0));
			this.notifyTemplate.sendToUser("victor", NotifyMessage.of("text", "secured"));
			assertThat(inbox.next().body()).contains("secured");
		}
	}

	@Test
	void whenTheApplicationsRulesDenyASubscriptionThenItIsRefusedAndLogged(CapturedOutput output) {
		try (StompTestClient wendy = StompTestClient.connect(this.port, "valid-wendy")) {
			wendy.subscribe("/topic/admin");
			assertThat(wendy.awaitError()).isEqualTo("Access denied");
		}
		assertThat(output).contains("Access denied by the application's authorization rules: SUBSCRIBE to"
				+ " '/topic/admin' by user 'wendy'");
		assertThat(output).doesNotContain("valid-wendy");
	}

	@Test
	void whenTheApplicationsRulesDenyASendThenItIsRefusedAndLoggedWithoutThePayload(CapturedOutput output)
			throws Exception {
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.connect("valid-walter");
			raw.frame("SEND", "secret-payload-4711", "destination:/app/orders", "content-type:text/plain");
			assertThat(raw.awaitError()).isEqualTo("Access denied");
		}
		assertThat(output).contains(
				"Access denied by the application's authorization rules: SEND to" + " '/app/orders' by user 'walter'");
		assertThat(output).doesNotContain("secret-payload-4711").doesNotContain("valid-walter");
	}

	@Test
	void whenTheUserHasTheRoleTheRulesAskForThenTheSubscriptionIsAccepted() {
		try (StompTestClient admin = StompTestClient.connect(this.port, "admin-xavier")) {
			Subscription adminTopic = admin.subscribe("/topic/admin");
			await().until(() -> !this.userRegistry
				.findSubscriptions((subscription) -> "/topic/admin".equals(subscription.getDestination()))
				.isEmpty());
			this.brokerTemplate.convertAndSend("/topic/admin", "admins only");
			assertThat(adminTopic.next().body()).contains("admins only");
		}
	}

	@Test
	void whenTheHandshakeIsAuthenticatedButConnectHasNoTokenThenConnectIsRefused() throws Exception {
		org.springframework.web.socket.WebSocketHttpHeaders basic = new org.springframework.web.socket.WebSocketHttpHeaders();
		basic.setBasicAuth("yvonne", "password");
		try (RawStompClient raw = RawStompClient.open("ws://localhost:" + this.port + "/ws", basic)) {
			raw.frame("CONNECT", "", "accept-version:1.2");
			assertThat(raw.awaitError()).isEqualTo("Missing Authorization header");
		}
		assertThat(this.notifyTemplate.isOnline("yvonne")).isFalse();
	}

	@Test
	void whenConnectIsRefusedThenNoSecurityContextLeaksIntoTheNextConnect() {
		StompHeaders bad = new StompHeaders();
		bad.add("Authorization", "Bearer " + TestTokens.forUserId("a/b"));
		try (StompTestClient client = StompTestClient.attempt(this.port, bad)) {
			assertThat(client.awaitError()).isEqualTo("Invalid user id");
		}
		try (StompTestClient zoe = StompTestClient.connect(this.port, "valid-zoe")) {
			assertThat(zoe.isConnected()).isTrue();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSocketSecurity
	static class SecuredApplication {

		@Bean
		TokenResolver testTokens() {
			return new TestTokens();
		}

		@Bean
		AuthorizationManager<Message<?>> messageAuthorizationManager(
				MessageMatcherDelegatingAuthorizationManager.Builder messages) {
			return messages
				.simpTypeMatchers(SimpMessageType.CONNECT, SimpMessageType.DISCONNECT, SimpMessageType.HEARTBEAT,
						SimpMessageType.UNSUBSCRIBE, SimpMessageType.OTHER)
				.permitAll()
				.simpSubscribeDestMatchers("/topic/admin")
				.hasRole("ADMIN")
				.simpSubscribeDestMatchers("/user/queue/notify", "/topic/notify")
				.authenticated()
				.anyMessage()
				.denyAll()
				.build();
		}

		// a cookie/Basic-secured application: the handshake itself may carry a user
		@Bean
		SecurityFilterChain http(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("yvonne").password("{noop}password").roles("USER").build());
		}

	}

}
