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

package io.github.notifystomp.transport.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The label that stands for a session wherever people can read it: logs, the Actuator
 * endpoint. A SockJS session id is part of the transport URLs of its session, so whoever
 * reads it can send frames into that session or read its messages; the label is a keyed
 * hash of the id, the same for one session in every log line and endpoint answer of this
 * node, and useless on a transport URL.
 */
public final class SessionLabels {

	// a new key at each start: a label says nothing about the id, and means nothing later
	private static final SecretKeySpec KEY = newKey();

	private SessionLabels() {
	}

	/**
	 * Return the label of a session.
	 * @param sessionId the session id, may be {@code null}
	 * @return the label: 16 URL-safe characters, or {@code "none"}
	 */
	public static String of(String sessionId) {
		if (sessionId == null) {
			return "none";
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(KEY);
			byte[] hash = mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 16);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static SecretKeySpec newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return new SecretKeySpec(key, "HmacSHA256");
	}

}
