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

package io.github.notifystomp.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs relay messages with the cluster's secret (HMAC-SHA256) and checks the signature
 * of the ones received, so that a node delivers only what another node that knows the
 * secret published, not whatever someone with write access to Redis puts on the channels.
 * A signed message is {@code s1.<base64url signature>.<message>}.
 */
final class RelaySignature {

	private static final String PREFIX = "s1.";

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder decoder = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	// a Mac is not thread-safe: one per thread
	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	RelaySignature(String secret) {
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		newMac();
	}

	String sign(String message) {
		return PREFIX + encoder.encodeToString(mac(message)) + "." + message;
	}

	/**
	 * Check a signed message.
	 * @return the message without its signature
	 * @throws RelayCodec.RejectedRelayException if it is not signed, or not with this
	 * secret
	 */
	String verify(String signed) {
		if (!signed.startsWith(PREFIX)) {
			throw new RelayCodec.RejectedRelayException("unsigned", "no signature");
		}
		int dot = signed.indexOf('.', PREFIX.length());
		if (dot < 0) {
			throw new RelayCodec.RejectedRelayException("bad-signature", "no message after the signature");
		}
		byte[] claimed;
		try {
			claimed = decoder.decode(signed.substring(PREFIX.length(), dot));
		}
		catch (IllegalArgumentException ex) {
			throw new RelayCodec.RejectedRelayException("bad-signature", "signature is not base64url");
		}
		String message = signed.substring(dot + 1);
		if (!MessageDigest.isEqual(claimed, mac(message))) {
			throw new RelayCodec.RejectedRelayException("bad-signature", "signature does not match");
		}
		return message;
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

}
