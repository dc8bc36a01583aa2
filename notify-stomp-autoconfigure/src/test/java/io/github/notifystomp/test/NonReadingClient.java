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
package io.github.notifystomp.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket STOMP client written by hand on a plain socket, that connects and
 * subscribes and then reads nothing more, like a browser tab that froze: the server's
 * writes to it fill the TCP buffers and then block.
 */
public final class NonReadingClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private NonReadingClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	/**
	 * Open the WebSocket, send CONNECT with the token and wait for CONNECTED.
	 * @param receiveBuffer the socket's receive buffer, small to fill it fast
	 */
	public static NonReadingClient connect(int port, String token, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(receiveBuffer);
		socket.setSoTimeout((int) StompTestClient.TIMEOUT.toMillis());
		socket.connect(new InetSocketAddress("localhost", port), 5000);
		NonReadingClient client = new NonReadingClient(socket);
		client.handshake(port);
		client.text("CONNECT\naccept-version:1.2\nheart-beat:0,0\nhost:localhost\nAuthorization:Bearer " + token
				+ "\n\n\0");
		String connected = client.readFrame();
		if (!connected.startsWith("CONNECTED")) {
			throw new IOException("Expected CONNECTED, got: " + connected);
		}
		return client;
	}

	/**
	 * Send a SUBSCRIBE frame (and read nothing).
	 */
	public void subscribe(String id, String destination, String... headers) throws IOException {
		StringBuilder frame = new StringBuilder("SUBSCRIBE\nid:").append(id)
			.append("\ndestination:")
			.append(destination)
			.append('\n');
		for (String header : headers) {
			frame.append(header).append('\n');
		}
		text(frame.append("\n\0").toString());
	}

	/**
	 * Read what the server sent until it closed the connection, and return the close
	 * status code of its close frame, or -1 if the connection ended without one.
	 */
	public int readUntilClosed() throws IOException {
		try {
			while (true) {
				int opcode = this.in.read();
				if (opcode < 0) {
					return -1;
				}
				byte[] payload = payload();
				if ((opcode & 0x0F) == 0x8) {
					return (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
				}
			}
		}
		catch (EOFException | java.net.SocketException ex) {
			return -1;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private void handshake(int port) throws IOException {
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		String request = "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
				+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		while (!response.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				throw new EOFException("closed during the handshake: " + response);
			}
			response.write(b);
		}
		String status = response.toString(StandardCharsets.US_ASCII);
		if (!status.startsWith("HTTP/1.1 101")) {
			throw new IOException("Handshake refused: " + status);
		}
	}

	private String readFrame() throws IOException {
		int opcode = this.in.read();
		if (opcode < 0) {
			throw new EOFException("closed");
		}
		return new String(payload(), StandardCharsets.UTF_8);
	}

	private byte[] payload() throws IOException {
		int second = this.in.read();
		if (second < 0) {
			throw new EOFException("closed");
		}
		long length = second & 0x7F;
		if (length == 126) {
			length = ((this.in.read() & 0xFF) << 8) | (this.in.read() & 0xFF);
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | (this.in.read() & 0xFF);
			}
		}
		byte[] payload = this.in.readNBytes((int) length);
		if (payload.length < length) {
			throw new EOFException("closed");
		}
		return payload;
	}

	// client frames are masked (RFC 6455)
	private void text(String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

}
