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
package io.github.notifystomp.auth.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConnectTickets}: bound to a user, single-use, expiring, signed.
 */
class ConnectTicketsTests {

	private static final String SECRET = "a-ticket-secret-of-at-least-32-characters";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

	private final ConnectTickets tickets = new ConnectTickets(SECRET, Duration.ofSeconds(30),
			new MemoryTicketRedemptions(this.clock), this.clock);

	@Test
	void whenATicketIsRedeemedThenItsUserAndAuthoritiesComeBackWithoutExpiry() {
		ConnectTickets.Ticket ticket = this.tickets.issue("alice", List.of("ROLE_USER", "ROLE_ADMIN"));
		assertThat(ticket.value()).startsWith(ConnectTickets.PREFIX).matches("[A-Za-z0-9._-]+");
		assertThat(ticket.expiresAt()).isEqualTo(this.clock.instant().plusSeconds(30));
		NotifyUser user = this.tickets.redeem(ticket.value());
		assertThat(user.id()).isEqualTo("alice");
		assertThat(user.authorities()).containsExactlyInAnyOrder("ROLE_USER", "ROLE_ADMIN");
		assertThat(user.expiresAt()).isNull();
	}

	@Test
	void whenATicketIsUsedTwiceThenTheSecondIsRefused() {
		String ticket = this.tickets.issue("alice", List.of()).value();
		this.tickets.redeem(ticket);
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tickets.redeem(ticket))
			.withMessage("ticket already used")
			.satisfies((ex) -> assertThat(ex.isExpired()).isFalse());
	}

	@Test
	void whenATicketHasExpiredThenItIsRefusedAsExpired() {
		String ticket = this.tickets.issue("alice", List.of()).value();
		this.clock.advance(Duration.ofSeconds(30));
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tickets.redeem(ticket))
			.satisfies((ex) -> assertThat(ex.isExpired()).isTrue());
	}

	@Test
	void whenTheUserInATicketIsChangedThenTheSignatureNoLongerMatches() {
		String ticket = this.tickets.issue("alice", List.of("ROLE_USER")).value();
		String body = ticket.substring(ConnectTickets.PREFIX.length(), ticket.lastIndexOf('.'));
		String payload = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).replace("alice",
				"bob");
		String forged = ConnectTickets.PREFIX
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
				+ ticket.substring(ticket.lastIndexOf('.'));
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tickets.redeem(forged))
			.withMessageContaining("signature does not match");
	}

	@Test
	void whenATicketIsSignedWithAnotherSecretThenItIsRefused() {
		ConnectTickets other = new ConnectTickets("another-secret-of-at-least-32-characters", Duration.ofSeconds(30),
				new MemoryTicketRedemptions(this.clock), this.clock);
		String ticket = other.issue("alice", List.of()).value();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tickets.redeem(ticket))
			.withMessageContaining("signature does not match");
	}

	@Test
	void whenATicketIsGarbageThenItIsRefusedWithoutAnotherException() {
		for (String garbage : List.of("nst1.", "nst1.abc", "nst1.!!!.###", "nst1.YWxpY2U.c2ln")) {
			assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tickets.redeem(garbage));
		}
	}

	@Test
	void whenATokenIsNotATicketThenTheOtherResolverGetsIt() {
		TokenResolver resolver = this.tickets.orElse((token) -> NotifyUser.of("jwt-" + token.length()));
		assertThat(resolver.resolve("eyJhbGciOi").id()).isEqualTo("jwt-10");
		assertThat(resolver.resolve(this.tickets.issue("carol", Set.of()).value()).id()).isEqualTo("carol");
	}

	@Test
	void whenTheUserIdCouldFormADestinationThenNoTicketIsIssued() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.tickets.issue("a/b", List.of()));
	}

	@Test
	void whenTheSecretIsShortThenTicketsCannotBeCreated() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectTickets("short", Duration.ofSeconds(30),
				new MemoryTicketRedemptions(), Clock.systemUTC()));
	}

	@Test
	void whenTicketsHaveExpiredThenTheirRedemptionsAreForgotten() {
		MemoryTicketRedemptions redemptions = new MemoryTicketRedemptions(this.clock);
		for (int i = 0; i < 150; i++) {
			redemptions.redeem("id-" + i, this.clock.instant().plusSeconds(1));
		}
		this.clock.advance(Duration.ofSeconds(2));
		for (int i = 0; i < 100; i++) {
			redemptions.redeem("later-" + i, this.clock.instant().plusSeconds(1));
		}
		assertThat(redemptions.size()).isLessThan(150);
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
