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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.notifystomp.auth.internal.JwtTokenResolver;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application configured as a Spring Security resource server
 * ({@code spring.security.oauth2.resourceserver.jwt.*}) and nothing else: the starter
 * checks STOMP tokens with the {@code JwtDecoder} Spring Boot builds from those settings,
 * on every Spring Boot line.
 */
@SpringBootTest(classes = JwtResourceServerIntegrationTests.ResourceServer.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtResourceServerIntegrationTests {

	private static final KeyPair keys = rsaKeys();

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	TokenResolver tokenResolver;

	@DynamicPropertySource
	static void resourceServer(DynamicPropertyRegistry registry) throws IOException {
		Path publicKey = Files.createTempFile("notify-jwt", ".pem");
		publicKey.toFile().deleteOnExit();
		Files.writeString(publicKey,
				"-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
				() -> publicKey.toUri().toString());
	}

	@Test
	void whenTheApplicationIsAResourceServerThenAJwtOfItsIssuerConnectsAsTheSubject() {
		assertThat(this.tokenResolver).isInstanceOf(JwtTokenResolver.class);
		try (StompTestClient client = StompTestClient.connect(this.port, jwt("jwt-alice", keys))) {
			Subscription inbox = client.subscribe("/user/queue/notify");
			Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.notifyTemplate.isOnline("jwt-alice"));

			this.notifyTemplate.sendToUser("jwt-alice", NotifyMessage.of("text", "for the subject"));

			assertThat(inbox.next().body()).contains("for the subject");
		}
	}

	@Test
	void whenAJwtIsSignedWithAnotherKeyThenConnectIsRefused() {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + jwt("jwt-mallory", rsaKeys()));
		try (StompTestClient client = StompTestClient.attempt(this.port, headers)) {
			assertThat(client.awaitError()).isEqualTo("Invalid token");
		}
	}

	private static String jwt(String subject, KeyPair signer) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.claim("scope", "notifications")
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		try {
			jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A resource server as an application writes one: Spring Boot's auto-configuration
	 * with its JWT settings, HTTP requests authenticated by bearer tokens except the
	 * WebSocket handshake, whose token comes in the STOMP CONNECT frame.
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

	}

}
