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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle STOMP sessions held by one selector thread over plain sockets, each bound to
 * one of several local addresses: the ephemeral ports of one source address toward one
 * server port run out near 28,000, and the JDK's HTTP client cannot choose its local
 * address. Each session upgrades to WebSocket, CONNECTs with a bearer token and
 * {@code heart-beat:0,0}, SUBSCRIBEs, and then only answers pings and notices closes.
 */
public final class IdleSessions implements AutoCloseable {

	private final List<InetAddress> sourceAddresses;

	private final Selector selector;

	private final Thread loop;

	private final Queue<IdleSession> toOpen = new ConcurrentLinkedQueue<>();

	private final List<IdleSession> sessions = new ArrayList<>();

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

	private final AtomicInteger ready = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger unexpectedCloses = new AtomicInteger();

	private final Queue<String> problems = new ConcurrentLinkedQueue<>();

	private volatile Semaphore inFlight = new Semaphore(Integer.MAX_VALUE);

	private volatile boolean closing;

	/**
	 * Create the holder and start its selector thread.
	 * @param sourceAddresses the local addresses the sessions are spread over, in turn
	 */
	public IdleSessions(List<InetAddress> sourceAddresses) {
		this.sourceAddresses = List.copyOf(sourceAddresses);
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.loop = new Thread(this::run, "idle-sessions");
		this.loop.setDaemon(true);
		this.loop.start();
	}

	/**
	 * Return the loopback addresses 127.0.0.1 to 127.0.0.{@code count} (Linux routes all
	 * of 127/8 to the loopback interface).
	 * @param count how many
	 * @return the addresses
	 */
	public static List<InetAddress> loopbackAddresses(int count) {
		List<InetAddress> addresses = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			try {
				addresses.add(InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) i }));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return addresses;
	}

	/**
	 * Open sessions, at most {@code concurrency} handshakes at a time, and wait until
	 * every one has subscribed or failed.
	 * @param targets one per session: the user, its token and the node's port
	 * @param destinations what each session subscribes to
	 * @param concurrency handshakes in flight
	 * @param timeout the longest time to wait for all
	 * @param tolerated how many sessions may fail before this throws
	 * @return the number of sessions that failed
	 * @throws IllegalStateException if more sessions failed than tolerated
	 */
	public int connect(List<ClientFleet.Target> targets, List<String> destinations, int concurrency, Duration timeout,
			int tolerated) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int readyBefore = this.ready.get();
		int failedBefore = this.failed.get();
		this.inFlight = new Semaphore(concurrency);
		int started = 0;
		for (ClientFleet.Target target : targets) {
			if (!acquire(deadline)) {
				break;
			}
			InetAddress source = this.sourceAddresses.get(started % this.sourceAddresses.size());
			this.toOpen.add(new IdleSession(this, target, destinations, source, deadline));
			started++;
			this.selector.wakeup();
		}
		while (this.ready.get() - readyBefore + this.failed.get() - failedBefore < started
				&& System.nanoTime() < deadline) {
			sleep(50);
		}
		int failures = started - (this.ready.get() - readyBefore);
		if (failures > tolerated || started < targets.size()) {
			throw new IllegalStateException(failures + " of " + targets.size() + " sessions failed to connect"
					+ ((started < targets.size()) ? " (" + (targets.size() - started) + " not started)" : "")
					+ ", first problems: " + problems());
		}
		return failures;
	}

	/**
	 * Return the number of sessions closed by the server or the network, not by us.
	 * @return the count
	 */
	public int unexpectedCloses() {
		return this.unexpectedCloses.get();
	}

	/**
	 * Return up to a few problem descriptions.
	 * @return the descriptions
	 */
	public List<String> problems() {
		return new ArrayList<>(this.problems);
	}

	/**
	 * Drop every connection (the server sees the sockets close) and stop the thread.
	 */
	@Override
	public void close() {
		this.closing = true;
		this.selector.wakeup();
		try {
			this.loop.join(TimeUnit.SECONDS.toMillis(60));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void opened(IdleSession session) {
		this.sessions.add(session);
	}

	void ready() {
		this.ready.incrementAndGet();
		this.inFlight.release();
	}

	void failed(String problem) {
		this.failed.incrementAndGet();
		this.inFlight.release();
		note(problem);
	}

	void closedByServer(String problem) {
		this.unexpectedCloses.incrementAndGet();
		note(problem);
	}

	boolean isClosing() {
		return this.closing;
	}

	private void note(String problem) {
		if (this.problems.size() < 10) {
			this.problems.add(problem);
		}
	}

	private boolean acquire(long deadline) {
		try {
			return this.inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while connecting", ex);
		}
	}

	private void run() {
		long nextCheck = System.nanoTime();
		try {
			while (!this.closing) {
				this.selector.select(100);
				for (IdleSession session; (session = this.toOpen.poll()) != null;) {
					session.open(this.selector);
				}
				for (SelectionKey key : this.selector.selectedKeys()) {
					((IdleSession) key.attachment()).handle(key, this.readBuffer);
				}
				this.selector.selectedKeys().clear();
				if (System.nanoTime() - nextCheck > 0) {
					this.sessions.forEach(IdleSession::checkDeadline);
					nextCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			note("selector failed: " + ex);
		}
		finally {
			this.sessions.forEach(IdleSession::abort);
			this.sessions.clear();
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while connecting", ex);
		}
	}

}
