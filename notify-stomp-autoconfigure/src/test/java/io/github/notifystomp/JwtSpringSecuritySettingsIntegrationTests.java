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

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.autoconfigure.NotifyStompAuthAutoConfiguration;
import io.github.notifystomp.autoconfigure.NotifyStompAutoConfiguration;
import io.github.notifystomp.test.BootAutoConfigurations;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestHttp;
import io.github.notifystomp.test.TestJwts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT resolver follows Spring Security's own settings, so that the STOMP user of a
 * token is the {@code Authentication.getName()} the same token gets over HTTP, with the
 * same authorities: Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*}
 * claim settings, and the application's {@code JwtAuthenticationConverter} bean.
 */
class JwtSpringSecuritySettingsIntegrationTests {

	static final TestJwts issuer = new TestJwts();

	static final String SUBJECT = UUID.randomUUID().toString();

	static String keycloakStyleJwt() {
		return issuer.jwt(SUBJECT, Map.of("preferred_username", "alice", "email", "alice@example.com", "scope",
				"notifications", "groups", "staff,ops", "roles", List.of("reader", "writer")));
	}

	@Nested
	@SpringBootTest(classes = ResourceServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.security.oauth2.resourceserver.jwt.principal-claim-name=preferred_username",
					"spring.security.oauth2.resourceserver.jwt.authorities-claim-name=groups",
					"spring.security.oauth2.resourceserver.jwt.authority-prefix=ROLE_",
					"spring.security.oauth2.resourceserver.jwt.authorities-claim-delimiter=," })
	class BootProperties {

		@LocalServerPort
		int port;

		@Autowired
		NotifyTemplate notifyTemplate;

		@Autowired
		SimpUserRegistry users;

		@DynamicPropertySource
		static void publicKey(DynamicPropertyRegistry registry) {
			registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", issuer::publicKeyLocation);
		}

		@Test
		void whenThePrincipalClaimIsSetThenHttpAndStompSeeTheSameUserAndAuthorities() {
			JsonNode me = me(this.port, keycloakStyleJwt());
			assertThat(me.get("name").asText()).isEqualTo("alice");
			assertThat(authorities(me)).contains("ROLE_staff", "ROLE_ops");
			assertSameUserOverStomp(this.port, this.notifyTemplate, this.users, me);
		}

	}

	@Nested
	@SpringBootTest(classes = ResourceServerWithConverter.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class ApplicationConverter {

		@LocalServerPort
		int port;

		@Autowired
		NotifyTemplate notifyTemplate;

		@Autowired
		SimpUserRegistry users;

		@DynamicPropertySource
		static void publicKey(DynamicPropertyRegistry registry) {
			registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", issuer::publicKeyLocation);
		}

		@Test
		void whenTheApplicationDefinesAJwtAuthenticationConverterThenHttpAndStompSeeTheSameUserAndAuthorities() {
			JsonNode me = me(this.port, keycloakStyleJwt());
			assertThat(me.get("name").asText()).isEqualTo("alice@example.com");
			assertThat(authorities(me)).contains("APP_reader", "APP_writer");
			assertSameUserOverStomp(this.port, this.notifyTemplate, this.users, me);
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class UserClaimOverride {

		private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
			.withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
					BootAutoConfigurations.jackson(), NotifyStompAuthAutoConfiguration.class,
					NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()))
			.withBean(JwtDecoder.class,
					() -> (token) -> Jwt.withTokenValue(token)
						.header("alg", "none")
						.subject(SUBJECT)
						.claim("preferred_username", "alice")
						.build());

		@Test
		void whenTheUserClaimDisagreesWithSpringSecurityThenStartupSaysSo(CapturedOutput output) {
			this.contextRunner
				.withPropertyValues("spring.security.oauth2.resourceserver.jwt.principal-claim-name=preferred_username",
						"notify.stomp.auth.jwt.user-claim=sub")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(TokenResolver.class).resolve("t").id()).isEqualTo(SUBJECT);
					assertThat(output).contains("notify.stomp.auth.jwt.user-claim=sub disagrees with Spring Security's"
							+ " principal claim 'preferred_username'");
				});
		}

		@Test
		void whenTheUserClaimIsSetWithoutAPrincipalClaimThenItDisagreesWithSub(CapturedOutput output) {
			this.contextRunner.withPropertyValues("notify.stomp.auth.jwt.user-claim=preferred_username")
				.run((context) -> {
					assertThat(context.getBean(TokenResolver.class).resolve("t").id()).isEqualTo("alice");
					assertThat(output).contains("disagrees with Spring Security's principal claim 'sub'");
				});
		}

		@Test
		void whenOnlySpringSecuritysPrincipalClaimIsSetThenTheResolverFollowsItQuietly(CapturedOutput output) {
			this.contextRunner
				.withPropertyValues("spring.security.oauth2.resourceserver.jwt.principal-claim-name=preferred_username")
				.run((context) -> {
					assertThat(context.getBean(TokenResolver.class).resolve("t").id()).isEqualTo("alice");
					assertThat(output).doesNotContain("notify.stomp.auth.jwt.user-claim");
				});
		}

		@Test
		void whenBothAgreeThenNothingIsSaid(CapturedOutput output) {
			this.contextRunner
				.withPropertyValues("spring.security.oauth2.resourceserver.jwt.principal-claim-name=preferred_username",
						"notify.stomp.auth.jwt.user-claim=preferred_username")
				.run((context) -> {
					assertThat(context.getBean(TokenResolver.class).resolve("t").id()).isEqualTo("alice");
					assertThat(output).doesNotContain("disagrees");
				});
		}

	}

	static JsonNode me(int port, String jwt) {
		TestHttp.Response response = new TestHttp(port).get("/me", "Authorization", "Bearer " + jwt);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	static List<String> authorities(JsonNode me) {
		List<String> authorities = new ArrayList<>();
		me.get("authorities").forEach((authority) -> authorities.add(authority.asText()));
		return authorities;
	}

	static void assertSameUserOverStomp(int port, NotifyTemplate notifyTemplate, SimpUserRegistry users, JsonNode me) {
		String name = me.get("name").asText();
		try (StompTestClient client = StompTestClient.connect(port, keycloakStyleJwt())) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> notifyTemplate.isOnline(name));
			// what an application does: send to the name it knows from HTTP
			notifyTemplate.sendToUser(name, NotifyMessage.of("text", "for " + name));
			assertThat(inbox.next().body()).contains("for " + name);
			SimpUser user = users.getUser(name);
			assertThat(user).isNotNull();
			Principal principal = user.getPrincipal();
			assertThat(principal).isInstanceOf(Authentication.class);
			List<String> stompAuthorities = ((Authentication) principal).getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.sorted()
				.toList();
			// Spring Security 7's converter adds FACTOR_BEARER: on both sides alike
			assertThat(stompAuthorities).isEqualTo(authorities(me));
		}
	}

	/**
	 * A resource server with an endpoint that answers with its view of the caller.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResourceServer {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/ws", "/ws/**").permitAll().anyRequest().authenticated())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
				.build();
		}

		@Bean
		Me me() {
			return new Me();
		}

	}

	/**
	 * The same with the application's own converter: the user is the e-mail address, the
	 * authorities come from the roles claim.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResourceServerWithConverter extends ResourceServer {

		@Bean
		JwtAuthenticationConverter jwtAuthenticationConverter() {
			JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
			authorities.setAuthoritiesClaimName("roles");
			authorities.setAuthorityPrefix("APP_");
			JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
			converter.setPrincipalClaimName("email");
			converter.setJwtGrantedAuthoritiesConverter(authorities);
			return converter;
		}

	}

	@RestController
	static class Me {

		@GetMapping("/me")
		Map<String, Object> me(Authentication authentication) {
			return Map.of("name", authentication.getName(), "authorities",
					authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList());
		}

	}

}
