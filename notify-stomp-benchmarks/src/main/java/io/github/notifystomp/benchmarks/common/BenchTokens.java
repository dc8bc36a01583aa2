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

package io.github.notifystomp.benchmarks.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Benchmark-only bearer tokens: compact JWTs signed with HMAC-SHA256, carrying a subject
 * and an expiry. The secret is random per suite run and handed to the server nodes on
 * their command line, so this is fit for a benchmark on one machine and for nothing else.
 * Every server (the starter and both Spring baselines) verifies tokens with this class,
 * so authentication costs the same everywhere.
 */
public final class BenchTokens {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final String HEADER = ENCODER
		.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

	private static final Pattern SUBJECT = Pattern.compile("\"sub\":\"([A-Za-z0-9._:-]{1,64})\"");

	private static final Pattern EXPIRY = Pattern.compile("\"exp\":(\\d{1,12})");

	private final SecretKeySpec key;

	/**
	 * Create the token codec.
	 * @param secret the shared secret, at least 32 characters
	 */
	public BenchTokens(String secret) {
		if (secret == null || secret.length() < 32) {
			throw new IllegalArgumentException("bench.token-secret must be at least 32 characters");
		}
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	/**
	 * Issue a token.
	 * @param userId the subject
	 * @param expiresAt the expiry
	 * @return the compact JWT
	 */
	public String issue(String userId, Instant expiresAt) {
		String claims = "{\"sub\":\"" + userId + "\",\"exp\":" + expiresAt.getEpochSecond() + "}";
		String unsigned = HEADER + "." + ENCODER.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
		return unsigned + "." + ENCODER.encodeToString(sign(unsigned));
	}

	/**
	 * Verify a token.
	 * @param token the compact JWT
	 * @return the subject and expiry
	 * @throws IllegalArgumentException if the token is malformed, wrongly signed or
	 * expired
	 */
	public Verified verify(String token) {
		String[] parts = (token != null) ? token.split("\\.", -1) : new String[0];
		if (parts.length != 3 || !HEADER.equals(parts[0])) {
			throw new IllegalArgumentException("not a benchmark token");
		}
		byte[] signature;
		try {
			signature = DECODER.decode(parts[2]);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("signature is not base64url");
		}
		if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
			throw new IllegalArgumentException("signature does not match");
		}
		String claims = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
		Matcher subject = SUBJECT.matcher(claims);
		Matcher expiry = EXPIRY.matcher(claims);
		if (!subject.find() || !expiry.find()) {
			throw new IllegalArgumentException("no subject or expiry");
		}
		Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(expiry.group(1)));
		if (!expiresAt.isAfter(Instant.now())) {
			throw new IllegalArgumentException("token expired");
		}
		return new Verified(subject.group(1), expiresAt);
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
	 * A verified token.
	 *
	 * @param userId the subject
	 * @param expiresAt the expiry
	 */
	public record Verified(String userId, Instant expiresAt) {

	}

}
