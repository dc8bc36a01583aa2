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

package io.github.notifystomp.sample;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.json.JsonWriter;
import org.springframework.stereotype.Component;

import io.github.notifystomp.InvalidTokenException;
import io.github.notifystomp.NotifyUser;

/**
 * Issues and verifies the sample's demo tokens: compact JWTs signed with HMAC-SHA256 and
 * a secret shared by every node, with an expiry. Only {@code HS256} is accepted, so a
 * token that names another algorithm (such as {@code none}) is refused.
 */
@Component
public class DemoTokens {

	static final String DEV_SECRET = "dev-only-secret-of-the-notify-stomp-sample-change-me";

	private static final Log logger = LogFactory.getLog(DemoTokens.class);

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder decoder = Base64.getUrlDecoder();

	private static final String HEADER = encoder
		.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

	private final SecretKeySpec key;

	private final SampleProperties.Token properties;

	// Spring Boot's own JSON support: the sample runs on Spring Boot 4 (Jackson 3) and
	// 3.5 (Jackson 2)
	private final JsonParser parser = JsonParserFactory.getJsonParser();

	private final JsonWriter<Map<String, Object>> writer = JsonWriter.standard();

	public DemoTokens(SampleProperties properties) {
		this.properties = properties.getToken();
		String secret = this.properties.getSecret();
		if (secret == null || secret.isBlank()) {
			logger.warn("sample.token.secret is not set: using the built-in development secret. Set it (the same"
					+ " value on every node) before exposing this sample anywhere.");
			secret = DEV_SECRET;
		}
		if (secret.length() < 32) {
			throw new IllegalStateException("sample.token.secret must be at least 32 characters");
		}
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	/**
	 * Issue a token for a user.
	 * @param userId the user
	 * @return the token and its expiry
	 */
	public Issued issue(String userId) {
		Instant expiresAt = Instant.now().plus(this.properties.getTtl());
		String claims = this.writer.writeToString(
				Map.of("sub", userId, "iat", Instant.now().getEpochSecond(), "exp", expiresAt.getEpochSecond()));
		String unsigned = HEADER + "." + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
		return new Issued(unsigned + "." + encoder.encodeToString(sign(unsigned)), expiresAt);
	}

	/**
	 * Verify a token and return its user; this is the sample's {@code TokenResolver}.
	 * @param token the token
	 * @return the user, with the token's expiry
	 * @throws InvalidTokenException if the token is malformed, wrongly signed or expired
	 */
	public NotifyUser verify(String token) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw new InvalidTokenException("not a compact JWT");
		}
		Map<String, Object> header = json(parts[0]);
		if (!"HS256".equals(header.get("alg"))) {
			throw new InvalidTokenException("algorithm is not HS256");
		}
		byte[] signature;
		try {
			signature = decoder.decode(parts[2]);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTokenException("signature is not base64url");
		}
		if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
			throw new InvalidTokenException("signature does not match");
		}
		Map<String, Object> claims = json(parts[1]);
		if (!(claims.get("exp") instanceof Number exp)) {
			throw new InvalidTokenException("no expiry");
		}
		Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
		if (!expiresAt.isAfter(Instant.now())) {
			throw InvalidTokenException.expired();
		}
		if (!(claims.get("sub") instanceof String subject) || subject.isEmpty()) {
			throw new InvalidTokenException("no subject");
		}
		return NotifyUser.of(subject, expiresAt);
	}

	private Map<String, Object> json(String part) {
		try {
			return this.parser.parseMap(new String(decoder.decode(part), StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			throw new InvalidTokenException("token part is not base64url JSON");
		}
	}

	private byte[] sign(String data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * An issued token.
	 *
	 * @param token the token
	 * @param expiresAt when it expires
	 */
	public record Issued(String token, Instant expiresAt) {

	}

}
