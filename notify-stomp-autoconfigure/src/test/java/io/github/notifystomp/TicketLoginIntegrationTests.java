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
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session-based application (form login with CSRF, or HTTP Basic) adopts the starter
 * with configuration only: {@code notify.stomp.auth.ticket.enabled=true}. The page POSTs
 * to the ticket endpoint as the logged-in user and CONNECTs with the ticket; a ticket is
 * bound to its user, single-use, short-lived and signed.
 */
class TicketLoginIntegrationTests {

	static final ObjectMapper json = new ObjectMapper();

	@Nested
	@SpringBootTest(classes = FormLoginApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "notify.stomp.auth.ticket.enabled=true")
	class FormLogin {

		@LocalServerPort
		int port;

		@Autowired
		NotifyTemplate notifyTemplate;

		@Autowired
		SimpUserRegistry users;

		@Test
		void whenALoggedInUserAsksForATicketThenTheCsrfProtectedPostReturnsOneThatConnectsAsThatUser() {
			Browser alice = Browser.logIn(this.port, "alice");
			JsonNode ticket = alice.postTicket(true);
			assertThat(ticket.get("ticket").asText()).startsWith("nst1.");
			assertThat(Instant.parse(ticket.get("expiresAt").asText())).isAfter(Instant.now())
				.isBefore(Instant.now().plusSeconds(31));
			try (StompTestClient client = StompTestClient.connect(this.port, ticket.get("ticket").asText())) {
				Subscription inbox = client.subscribe("/user/queue/notify");
				Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.notifyTemplate.isOnline("alice"));
				this.notifyTemplate.sendToUser("alice", NotifyMessage.of("text", "for the form login user"));
				assertThat(inbox.next().body()).contains("for the form login user");
				// the user's authorities travel with the ticket
				Principal principal = this.users.getUser("alice").getPrincipal();
				assertThat(((Authentication) principal).getAuthorities()).extracting(GrantedAuthority::getAuthority)
					.contains("ROLE_USER");
			}
		}

		@Test
		void whenThePostHasNoCsrfTokenThenNoTicketIsIssued() {
			Browser alice = Browser.logIn(this.port, "alice");
			assertThat(alice.post("/notify/ticket", null).statusCode()).isEqualTo(403);
		}

		@Test
		void whenNobodyIsLoggedInThenNoTicketIsIssued() {
			HttpResponse<String> response = new Browser(this.port).post("/notify/ticket", null);
			assertThat(response.statusCode()).isNotEqualTo(200);
			assertThat(response.body()).doesNotContain("nst1.");
		}

		@Test
		void whenATicketIsUsedAgainThenTheConnectIsRefusedLikeAnyBadToken() {
			String ticket = Browser.logIn(this.port, "alice").postTicket(true).get("ticket").asText();
			try (StompTestClient first = StompTestClient.connect(this.port, ticket)) {
				assertThat(first.isConnected()).isTrue();
				assertThat(refusal(this.port, ticket)).isEqualTo("Invalid token");
			}
		}

		@Test
		void whenATicketIsTamperedWithThenTheConnectIsRefused() {
			String ticket = Browser.logIn(this.port, "alice").postTicket(true).get("ticket").asText();
			// not the last character: in base64 its low bits may be padding, which
			// decodes to
			// the same signature whatever they are
			int at = ticket.length() - 2;
			char changed = (ticket.charAt(at) == 'A') ? 'B' : 'A';
			String tampered = ticket.substring(0, at) + changed + ticket.substring(at + 1);
			assertThat(refusal(this.port, tampered)).isEqualTo("Invalid token");
		}

		@Test
		void whenAliceRewritesHerTicketForBobThenItIsRefusedAndBobsOwnTicketIsBobs() {
			String ticket = Browser.logIn(this.port, "alice").postTicket(true).get("ticket").asText();
			String body = ticket.substring("nst1.".length(), ticket.lastIndexOf('.'));
			String payload = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).replace("alice",
					"bob");
			String forBob = "nst1."
					+ Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
					+ ticket.substring(ticket.lastIndexOf('.'));
			assertThat(refusal(this.port, forBob)).isEqualTo("Invalid token");
			assertThat(this.notifyTemplate.isOnline("bob")).isFalse();

			String bobs = Browser.logIn(this.port, "bob").postTicket(true).get("ticket").asText();
			try (StompTestClient bob = StompTestClient.connect(this.port, bobs)) {
				Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.notifyTemplate.isOnline("bob"));
				assertThat(this.users.getUser("alice")).isNull();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = BasicApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "notify.stomp.auth.ticket.enabled=true", "notify.stomp.auth.ticket.path=/api/stomp-ticket" })
	class HttpBasic {

		@LocalServerPort
		int port;

		@Autowired
		NotifyTemplate notifyTemplate;

		@Test
		void whenABasicAuthenticatedRequestAsksForATicketThenItConnectsAsThatUser() {
			HttpResponse<String> response = new Browser(this.port).post("/api/stomp-ticket", null, "Authorization",
					basic("alice", "password"));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
			String ticket = read(response.body()).get("ticket").asText();
			try (StompTestClient client = StompTestClient.connect(this.port, ticket)) {
				Subscription inbox = client.subscribe("/user/queue/notify");
				Awaitility.await().atMost(StompTestClient.TIMEOUT).until(() -> this.notifyTemplate.isOnline("alice"));
				this.notifyTemplate.sendToUser("alice", NotifyMessage.of("text", "for the basic user"));
				assertThat(inbox.next().body()).contains("for the basic user");
			}
		}

		@Test
		void whenTheBasicCredentialsAreWrongThenNoTicketIsIssued() {
			HttpResponse<String> response = new Browser(this.port).post("/api/stomp-ticket", null, "Authorization",
					basic("alice", "wrong"));
			assertThat(response.statusCode()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = BasicApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "notify.stomp.auth.ticket.enabled=true", "notify.stomp.auth.ticket.ttl=1" })
	class ShortLivedTickets {

		@LocalServerPort
		int port;

		@Test
		void whenATicketHasExpiredThenTheConnectIsRefusedAsExpired() throws InterruptedException {
			HttpResponse<String> response = new Browser(this.port).post("/notify/ticket", null, "Authorization",
					basic("alice", "password"));
			JsonNode ticket = read(response.body());
			Instant expiresAt = Instant.parse(ticket.get("expiresAt").asText());
			Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 200);
			assertThat(refusal(this.port, ticket.get("ticket").asText())).isEqualTo("Token expired");
		}

	}

	static String refusal(int port, String ticket) {
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + ticket);
		try (StompTestClient client = StompTestClient.attempt(port, headers)) {
			return client.awaitError();
		}
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	static JsonNode read(String body) {
		try {
			return json.readTree(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Not JSON: " + body, ex);
		}
	}

	/**
	 * What a browser does: keeps the session cookie, logs in through the login form with
	 * its CSRF token, and sends the CSRF token its page was given.
	 */
	static final class Browser {

		private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

		private final int port;

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();

		Browser(int port) {
			this.port = port;
		}

		static Browser logIn(int port, String user) {
			Browser browser = new Browser(port);
			HttpResponse<String> page = browser.send(browser.request("/login").GET());
			Matcher csrf = CSRF_INPUT.matcher(page.body());
			assertThat(csrf.find()).as(page.body()).isTrue();
			String form = "username=" + user + "&password=password&_csrf="
					+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
			HttpResponse<String> login = browser.send(browser.request("/login")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
			assertThat(login.statusCode()).isEqualTo(302);
			assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
			return browser;
		}

		JsonNode postTicket(boolean withCsrf) {
			String[] headers = new String[0];
			if (withCsrf) {
				JsonNode csrf = read(send(request("/csrf").GET()).body());
				headers = new String[] { csrf.get("headerName").asText(), csrf.get("token").asText() };
			}
			HttpResponse<String> response = post("/notify/ticket", null, headers);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return read(response.body());
		}

		HttpResponse<String> post(String path, String body, String... headers) {
			HttpRequest.Builder request = request(path)
				.POST((body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
			if (headers.length > 0) {
				request.headers(headers);
			}
			return send(request);
		}

		private HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(30));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) {
			try {
				return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A classic form login application: a session cookie, CSRF protection, and no token
	 * of its own. The STOMP endpoint is left to the CONNECT.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FormLoginApplication {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/ws", "/ws/**").permitAll().anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@Bean
		CsrfController csrfController() {
			return new CsrfController();
		}

	}

	/**
	 * What a page gets its CSRF token from.
	 */
	@RestController
	static class CsrfController {

		@GetMapping("/csrf")
		Map<String, String> csrf(CsrfToken token) {
			return Map.of("headerName", token.getHeaderName(), "token", token.getToken());
		}

	}

	/**
	 * An API secured with HTTP Basic, without sessions.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BasicApplication {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/ws", "/ws/**").permitAll().anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

	}

}
