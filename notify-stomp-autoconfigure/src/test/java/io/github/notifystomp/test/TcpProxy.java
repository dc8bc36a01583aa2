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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between one client (a node, a connection pool) and a server (Redis, a
 * database), so that a test can cut that link alone: {@link #cut()} closes every open
 * connection and refuses new ones, as a network partition would, until
 * {@link #restore()}; {@link #freeze()} swallows everything instead, closing nothing.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private volatile boolean frozen;

	private volatile boolean closed;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy on a free port of the loopback address.
	 */
	public static TcpProxy to(String host, int port) {
		try {
			return new TcpProxy(host, port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Proxy could not listen: " + ex.getMessage(), ex);
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Close every connection through the proxy and refuse new ones.
	 */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Let connections through again.
	 */
	public void restore() {
		this.cut = false;
	}

	/**
	 * Forward nothing more, in either direction, and close nothing: what is sent is
	 * swallowed, as when a mobile network vanishes without a FIN or a RST.
	 */
	public void freeze() {
		this.frozen = true;
	}

	public boolean isCut() {
		return this.cut;
	}

	@Override
	public void close() {
		this.closed = true;
		cut();
		closeQuietly(this.server);
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.cut) {
				closeQuietly(client);
				continue;
			}
			Socket target = new Socket();
			try {
				target.connect(new InetSocketAddress(this.targetHost, this.targetPort), 2000);
			}
			catch (IOException ex) {
				closeQuietly(client);
				closeQuietly(target);
				continue;
			}
			this.sockets.add(client);
			this.sockets.add(target);
			pump(client, target);
			pump(target, client);
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!this.frozen) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// cut, or closed by one side
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
