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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.UserIds;
import io.github.notifystomp.auth.TicketRedemptions;

/**
 * Short-lived, single-use, signed tickets for CONNECT, for applications whose users log
 * in with a session cookie (form login, HTTP Basic) and so have no token a browser could
 * put in the CONNECT frame. A ticket is issued for the user of an authenticated request,
 * carries the user id, the authorities and an expiry of a few seconds, and is signed with
 * HMAC-SHA256; the CONNECT presents it as {@code Authorization: Bearer <ticket>}.
 * <p>
 * A ticket is accepted once: its id is redeemed through {@link TicketRedemptions}
 * (cluster-wide in cluster mode). A ticket that is expired, used, altered, or signed with
 * another secret is refused like any bad token.
 */
public class ConnectTickets {

	/**
	 * What every ticket starts with; a JWT never does.
	 */
	public static final String PREFIX = "nst1.";

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder decoder = Base64.getUrlDecoder();

	private static final SecureRandom random = new SecureRandom();

	private final SecretKeySpec key;

	private final Duration ttl;

	private final TicketRedemptions redemptions;

	private final Clock clock;

	// a Mac is not thread-safe: one per thread
	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	/**
	 * Create tickets.
	 * @param secret the signing secret, at least 32 characters, the same on every node of
	 * a cluster
	 * @param ttl how long a ticket is valid after it is issued
	 * @param redemptions remembers which tickets were used
	 * @param clock the clock tickets expire by
	 */
	public ConnectTickets(String secret, Duration ttl, TicketRedemptions redemptions, Clock clock) {
		if (secret == null || secret.length() < 32) {
			throw new IllegalArgumentException("The ticket secret must be at least 32 characters");
		}
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		this.ttl = ttl;
		this.redemptions = redemptions;
		this.clock = clock;
		newMac();
	}

	/**
	 * Return a random secret, for a single node that was given none.
	 * @return 32 random bytes in base64url
	 */
	public static String randomSecret() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return encoder.encodeToString(bytes);
	}

	/**
	 * Issue a ticket.
	 * @param userId the user the ticket is for; must be a valid user id
	 * @param authorities the user's authorities, which the session gets
	 * @return the ticket and when it expires
	 * @throws IllegalArgumentException if the user id could not be a STOMP user
	 */
	public Ticket issue(String userId, Collection<String> authorities) {
		UserIds.require(userId);
		Instant expiresAt = this.clock.instant().plus(this.ttl);
		byte[] id = new byte[16];
		random.nextBytes(id);
		StringBuilder payload = new StringBuilder(encoder.encodeToString(id)).append('\n')
			.append(expiresAt.toEpochMilli())
			.append('\n')
			.append(userId);
		for (String authority : authorities) {
			if (authority != null && !authority.isEmpty() && authority.indexOf('\n') < 0) {
				payload.append('\n').append(authority);
			}
		}
		String body = encoder.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
		return new Ticket(PREFIX + body + "." + encoder.encodeToString(mac(PREFIX + body)), expiresAt);
	}

	/**
	 * Return a resolver that takes tickets and hands every other token to the given
	 * resolver.
	 * @param otherTokens the application's resolver for its own tokens (a JWT resolver,
	 * or one that refuses everything)
	 * @return the composed resolver
	 */
	public TokenResolver orElse(TokenResolver otherTokens) {
		return new TicketOrElse(otherTokens);
	}

	/**
	 * Return the user of a ticket, redeeming it.
	 * @param ticket the ticket, starting with {@link #PREFIX}
	 * @return its user, whose session does not expire with the ticket
	 * @throws InvalidTokenException if the ticket is not valid, expired or used
	 */
	public NotifyUser redeem(String ticket) {
		int dot = ticket.indexOf('.', PREFIX.length());
		if (!ticket.startsWith(PREFIX) || dot < 0) {
			throw new InvalidTokenException("malformed ticket");
		}
		String body = ticket.substring(PREFIX.length(), dot);
		byte[] claimed;
		String payload;
		try {
			claimed = decoder.decode(ticket.substring(dot + 1));
			payload = new String(decoder.decode(body), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTokenException("malformed ticket");
		}
		if (!MessageDigest.isEqual(claimed, mac(PREFIX + body))) {
			throw new InvalidTokenException("ticket signature does not match (altered, or signed with another secret)");
		}
		String[] fields = payload.split("\n", -1);
		if (fields.length < 3) {
			throw new InvalidTokenException("malformed ticket");
		}
		Instant expiresAt;
		try {
			expiresAt = Instant.ofEpochMilli(Long.parseLong(fields[1]));
		}
		catch (NumberFormatException ex) {
			throw new InvalidTokenException("malformed ticket");
		}
		if (!this.clock.instant().isBefore(expiresAt)) {
			throw new InvalidTokenException("ticket expired", true);
		}
		if (!this.redemptions.redeem(fields[0], expiresAt)) {
			throw new InvalidTokenException("ticket already used");
		}
		List<String> authorities = new ArrayList<>(List.of(fields).subList(3, fields.length));
		return new NotifyUser(fields[2], new LinkedHashSet<>(authorities), null);
	}

	private byte[] mac(String message) {
		return this.macs.get().doFinal(message.getBytes(StandardCharsets.UTF_8));
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * An issued ticket.
	 *
	 * @param value the ticket, for {@code Authorization: Bearer <ticket>}
	 * @param expiresAt when it stops being accepted
	 */
	public record Ticket(String value, Instant expiresAt) {

	}

	private final class TicketOrElse implements TokenResolver {

		private final TokenResolver otherTokens;

		TicketOrElse(TokenResolver otherTokens) {
			this.otherTokens = otherTokens;
		}

		@Override
		public NotifyUser resolve(String token) {
			return token.startsWith(PREFIX) ? redeem(token) : this.otherTokens.resolve(token);
		}

		@Override
		public String toString() {
			return "tickets, else " + this.otherTokens.getClass().getSimpleName();
		}

	}

}
