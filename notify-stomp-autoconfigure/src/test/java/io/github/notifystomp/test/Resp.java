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

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis (RESP2) client for the test support: enough to ping a server, build a
 * Redis Cluster and publish raw bytes, without a Redis client library.
 */
public final class Resp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private Resp(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Connect to a server.
	 */
	public static Resp connect(String host, int port, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) Math.max(timeout.toMillis(), 5000));
			return new Resp(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Run one command and return its reply: a String, a Long, a List or {@code null}.
	 * @throws IllegalStateException for an error reply
	 */
	public Object call(Object... args) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (Object arg : args) {
			byte[] bytes = (arg instanceof byte[] raw) ? raw : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
			buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			buffer.write(bytes);
			buffer.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		this.out.write(buffer.toByteArray());
		this.out.flush();
		return read();
	}

	private Object read() throws IOException {
		int type = this.in.read();
		if (type < 0) {
			throw new EOFException("connection closed by Redis");
		}
		String line = line();
		return switch (type) {
			case '+' -> line;
			case '-' -> throw new IllegalStateException(line);
			case ':' -> Long.parseLong(line);
			case '$' -> bulk(Integer.parseInt(line));
			case '*' -> {
				int count = Integer.parseInt(line);
				if (count < 0) {
					yield null;
				}
				List<Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(read());
				}
				yield items;
			}
			default -> throw new IOException("unexpected RESP type " + (char) type);
		};
	}

	private String bulk(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("connection closed by Redis");
		}
		line();
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int c;
		while ((c = this.in.read()) != '\r') {
			if (c < 0) {
				throw new EOFException("connection closed by Redis");
			}
			line.write(c);
		}
		this.in.read();
		return line.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
