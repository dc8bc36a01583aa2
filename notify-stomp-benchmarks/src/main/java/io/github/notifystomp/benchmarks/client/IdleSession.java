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

package io.github.notifystomp.benchmarks.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One idle STOMP session of {@link IdleSessions} on a non-blocking socket: the HTTP
 * upgrade, CONNECT, SUBSCRIBE, then pongs for pings. Used by the selector thread only.
 */
final class IdleSession {

	private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int TEXT = 0x1;

	private static final int CLOSE = 0x8;

	private static final int PING = 0x9;

	private static final int PONG = 0xA;

	private enum State {

		CONNECTING, UPGRADING, STOMP_CONNECTING, READY, DONE

	}

	private final IdleSessions owner;

	private final ClientFleet.Target target;

	private final List<String> destinations;

	private final InetAddress source;

	private final long deadline;

	private SocketChannel channel;

	private SelectionKey key;

	private State state = State.CONNECTING;

	// what was read and not yet taken, null while nothing waits
	private byte[] pending;

	private ByteBuffer unwritten;

	IdleSession(IdleSessions owner, ClientFleet.Target target, List<String> destinations, InetAddress source,
			long deadline) {
		this.owner = owner;
		this.target = target;
		this.destinations = destinations;
		this.source = source;
		this.deadline = deadline;
	}

	void open(Selector selector) {
		this.owner.opened(this);
		try {
			this.channel = SocketChannel.open();
			this.channel.bind(new InetSocketAddress(this.source, 0));
			this.channel.configureBlocking(false);
			boolean connected = this.channel
				.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.target.port()));
			this.key = this.channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
			if (connected) {
				upgrade();
			}
		}
		catch (IOException | RuntimeException ex) {
			fail("connect from " + this.source.getHostAddress() + " failed: " + ex);
		}
	}

	void handle(SelectionKey key, ByteBuffer buffer) {
		try {
			if (key.isValid() && key.isConnectable() && this.channel.finishConnect()) {
				upgrade();
			}
			if (key.isValid() && key.isWritable()) {
				flush();
			}
			if (key.isValid() && key.isReadable()) {
				read(buffer);
			}
		}
		catch (IOException | RuntimeException ex) {
			lost(ex.toString());
		}
	}

	void checkDeadline() {
		if (this.state != State.READY && this.state != State.DONE && System.nanoTime() > this.deadline) {
			fail("not subscribed in time (" + this.state + ")");
		}
	}

	void abort() {
		this.state = State.DONE;
		try {
			if (this.channel != null) {
				this.channel.close();
			}
		}
		catch (IOException ex) {
			// dropping it anyway
		}
	}

	private void upgrade() throws IOException {
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + this.target.port()
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.state = State.UPGRADING;
		this.key.interestOps(SelectionKey.OP_READ);
		send(request.getBytes(StandardCharsets.US_ASCII));
	}

	private void read(ByteBuffer buffer) throws IOException {
		buffer.clear();
		int read = this.channel.read(buffer);
		if (read < 0) {
			lost("closed by the server");
			return;
		}
		buffer.flip();
		byte[] data = new byte[((this.pending != null) ? this.pending.length : 0) + buffer.remaining()];
		int offset = 0;
		if (this.pending != null) {
			System.arraycopy(this.pending, 0, data, 0, this.pending.length);
			offset = this.pending.length;
		}
		buffer.get(data, offset, buffer.remaining());
		int used = 0;
		if (this.state == State.UPGRADING) {
			used = upgraded(data);
			if (used < 0) {
				this.pending = data;
				return;
			}
		}
		used = frames(data, used);
		this.pending = (used < data.length) ? Arrays.copyOfRange(data, used, data.length) : null;
	}

	// the length of the response head, -1 while incomplete
	private int upgraded(byte[] data) throws IOException {
		int end = indexOf(data, HEADERS_END);
		if (end < 0) {
			return -1;
		}
		String head = new String(data, 0, end, StandardCharsets.US_ASCII);
		if (!head.startsWith("HTTP/1.1 101")) {
			throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
		}
		this.state = State.STOMP_CONNECTING;
		send(frame(TEXT, ("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer "
				+ this.target.token() + "\n\n\0")
			.getBytes(StandardCharsets.UTF_8)));
		return end + HEADERS_END.length;
	}

	// takes the whole frames from offset on, returns where the first incomplete
	// one starts
	private int frames(byte[] data, int offset) throws IOException {
		while (data.length - offset >= 2) {
			int opcode = data[offset] & 0x0F;
			int length = data[offset + 1] & 0x7F;
			int header = 2;
			if (length == 126) {
				header = 4;
				length = (data.length - offset >= 4) ? ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF)
						: -1;
			}
			else if (length == 127) {
				header = 10;
				length = (data.length - offset >= 10) ? (int) bigEndian(data, offset + 2) : -1;
			}
			if (length < 0 || data.length - offset < header + length) {
				return offset;
			}
			received(opcode, Arrays.copyOfRange(data, offset + header, offset + header + length));
			offset += header + length;
		}
		return offset;
	}

	private void received(int opcode, byte[] payload) throws IOException {
		if (opcode == PING) {
			send(frame(PONG, payload));
		}
		else if (opcode == CLOSE) {
			lost("close frame from the server");
		}
		else if (this.state == State.STOMP_CONNECTING) {
			String text = new String(payload, StandardCharsets.UTF_8).stripLeading();
			if (text.startsWith("CONNECTED")) {
				subscribe();
			}
			else if (text.startsWith("ERROR")) {
				throw new IOException("ERROR frame: " + text.replace('\0', ' ').replace('\n', ' ').trim());
			}
		}
	}

	private void subscribe() throws IOException {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (int i = 0; i < this.destinations.size(); i++) {
			String subscribe = "SUBSCRIBE\nid:sub-" + i + "\ndestination:" + this.destinations.get(i)
					+ "\nack:auto\n\n\0";
			frames.writeBytes(frame(TEXT, subscribe.getBytes(StandardCharsets.UTF_8)));
		}
		send(frames.toByteArray());
		this.state = State.READY;
		this.owner.ready();
	}

	private void send(byte[] bytes) throws IOException {
		if (this.unwritten != null) {
			ByteBuffer joined = ByteBuffer.allocate(this.unwritten.remaining() + bytes.length);
			joined.put(this.unwritten).put(bytes).flip();
			this.unwritten = joined;
		}
		else {
			this.unwritten = ByteBuffer.wrap(bytes);
		}
		flush();
	}

	private void flush() throws IOException {
		this.channel.write(this.unwritten);
		if (this.unwritten.hasRemaining()) {
			this.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
		}
		else {
			this.unwritten = null;
			this.key.interestOps(SelectionKey.OP_READ);
		}
	}

	private void fail(String problem) {
		if (this.state == State.DONE) {
			return;
		}
		boolean wasReady = this.state == State.READY;
		abort();
		if (wasReady) {
			this.owner.closedByServer(this.target.userId() + ": " + problem);
		}
		else {
			this.owner.failed(this.target.userId() + ": " + problem);
		}
	}

	private void lost(String problem) {
		if (!this.owner.isClosing()) {
			fail(problem);
		}
	}

	// a masked client frame
	private static byte[] frame(int opcode, byte[] payload) {
		int header = (payload.length < 126) ? 2 : 4;
		byte[] frame = new byte[header + 4 + payload.length];
		frame[0] = (byte) (0x80 | opcode);
		if (payload.length < 126) {
			frame[1] = (byte) (0x80 | payload.length);
		}
		else {
			frame[1] = (byte) (0x80 | 126);
			frame[2] = (byte) (payload.length >>> 8);
			frame[3] = (byte) payload.length;
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		System.arraycopy(mask, 0, frame, header, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		return frame;
	}

	private static long bigEndian(byte[] data, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (data[offset + i] & 0xFF);
		}
		return value;
	}

	private static int indexOf(byte[] data, byte[] needle) {
		outer: for (int i = 0; i <= data.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (data[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
