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

package io.github.notifystomp.benchmarks.runner;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client (RESP 2) for what the runner itself needs: PING, INFO, and
 * removing a run's keys.
 */
final class Resp implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	Resp(String host, int port) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress(host, port), 2000);
		this.socket.setSoTimeout(10_000);
		this.in = new DataInputStream(new BufferedInputStream(this.socket.getInputStream()));
		this.out = this.socket.getOutputStream();
	}

	Object call(String... args) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			buffer.writeBytes(bytes);
			buffer.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		this.out.write(buffer.toByteArray());
		this.out.flush();
		return read();
	}

	/**
	 * Delete every key that starts with the prefix.
	 * @return the number of keys deleted
	 */
	long deleteKeys(String prefix) throws IOException {
		long deleted = 0;
		String cursor = "0";
		do {
			List<?> reply = (List<?>) call("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
			cursor = (String) reply.get(0);
			List<?> keys = (List<?>) reply.get(1);
			if (!keys.isEmpty()) {
				List<String> command = new ArrayList<>();
				command.add("DEL");
				keys.forEach((key) -> command.add((String) key));
				deleted += (Long) call(command.toArray(String[]::new));
			}
		}
		while (!"0".equals(cursor));
		return deleted;
	}

	/**
	 * Return one field of {@code INFO}.
	 */
	String info(String section, String field) throws IOException {
		String info = (String) call("INFO", section);
		for (String line : info.split("\r\n")) {
			if (line.startsWith(field + ":")) {
				return line.substring(field.length() + 1).trim();
			}
		}
		return null;
	}

	private Object read() throws IOException {
		int type = this.in.read();
		String line = line();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new IOException("Redis error: " + line);
			case ':':
				return Long.parseLong(line);
			case '$': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = new byte[length];
				this.in.readFully(bytes);
				line();
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(line);
				List<Object> items = new ArrayList<>(Math.max(0, count));
				for (int i = 0; i < count; i++) {
					items.add(read());
				}
				return items;
			}
			default:
				throw new IOException("Unexpected Redis reply type " + type);
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != '\r') {
			if (b < 0) {
				throw new IOException("Redis closed the connection");
			}
			line.write(b);
		}
		this.in.read();
		return line.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
