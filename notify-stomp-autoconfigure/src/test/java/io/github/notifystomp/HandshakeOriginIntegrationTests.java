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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.test.NotifyStompServerTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake's {@code Origin}: an origin that is not allowed is refused with one WARN
 * per origin naming the property to set, a malformed one gets 403 and a short,
 * rate-limited line instead of a server error and a stack trace, an allowed one connects.
 */
@ExtendWith(OutputCaptureExtension.class)
@NotifyStompServerTest(properties = { "notify.stomp.allowed-origin-patterns=https://*.example.com" })
class HandshakeOriginIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void whenTheOriginIsNotAllowedThenTheHandshakeIsRefusedAndTheOriginIsLoggedOnceWithTheProperty(
			CapturedOutput output) {
		String origin = "http://localhost:5173";
		assertThat(handshakeStatus(origin)).isEqualTo(403);
		assertThat(handshakeStatus(origin)).isEqualTo(403);
		assertThat(output).contains("Refused WebSocket handshake from origin 'http://localhost:5173' (403)")
			.contains("notify.stomp.allowed-origin-patterns=http://localhost:5173");
		assertThat(output.toString().split("from origin 'http://localhost:5173'", -1)).hasSize(2);
	}

	@Test
	void whenTheOriginIsMalformedThenTheHandshakeGets403AndOneShortLine(CapturedOutput output) {
		for (int i = 0; i < 20; i++) {
			assertThat(handshakeStatus("http://127.0.0.1:" + this.port + ".evil.example")).isEqualTo(403);
		}
		assertThat(output).contains("with a malformed Origin header (403)")
			.contains("'http://127.0.0.1:" + this.port + ".evil.example'");
		assertThat(output.toString().split("malformed Origin header", -1)).hasSizeLessThanOrEqualTo(2);
		assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
	}

	@Test
	void whenTheOriginMatchesAPatternOrIsTheServersOwnThenTheHandshakeSucceeds(CapturedOutput output) {
		assertThat(handshakeStatus("https://app.example.com")).isEqualTo(101);
		assertThat(handshakeStatus("http://127.0.0.1:" + this.port)).isEqualTo(101);
		assertThat(handshakeStatus(null)).isEqualTo(101);
		assertThat(output).doesNotContain("Refused WebSocket handshake");
	}

	private int handshakeStatus(String origin) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n" + ((origin != null) ? "Origin: " + origin + "\r\n" : "") + "\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String status = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(status).startsWith("HTTP/1.1 ");
			return Integer.parseInt(status.substring(9, 12));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
