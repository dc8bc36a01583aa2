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

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many STOMP clients in this JVM, spread over a few HTTP clients (each has its own
 * selector thread), and what they receive: for the current phase, the number of messages
 * and their latency, measured as this JVM's {@link System#nanoTime()} at receipt minus
 * the sender's at the send call.
 */
public final class ClientFleet implements AutoCloseable {

	private static final int HTTP_CLIENTS = 4;

	private final List<HttpClient> httpClients = new ArrayList<>();

	private final List<ExecutorService> executors = new ArrayList<>();

	private final List<StompClient> clients = Collections.synchronizedList(new ArrayList<>());

	private final LatencyHistogram latency = new LatencyHistogram();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder stray = new LongAdder();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicInteger unexpectedCloses = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

	private volatile int phase = -1;

	/**
	 * Create an empty fleet.
	 */
	public ClientFleet() {
		for (int i = 0; i < HTTP_CLIENTS; i++) {
			ExecutorService executor = Executors.newFixedThreadPool(2, (runnable) -> {
				Thread thread = new Thread(runnable, "stomp-client");
				thread.setDaemon(true);
				return thread;
			});
			this.executors.add(executor);
			this.httpClients.add(HttpClient.newBuilder().executor(executor).build());
		}
	}

	/**
	 * Connect clients, at most {@code concurrency} handshakes at a time, and wait until
	 * every one has subscribed.
	 * @param targets one per client: the user, its token and the node's port
	 * @param destinations what each client subscribes to
	 * @param subscribeHeaders extra headers of each SUBSCRIBE ({@code name:value})
	 * @param concurrency handshakes in flight
	 * @param timeout the longest time to wait for all
	 * @throws IllegalStateException if a client could not connect
	 */
	public void connect(List<Target> targets, List<String> destinations, List<String> subscribeHeaders, int concurrency,
			Duration timeout) {
		connect(targets, destinations, subscribeHeaders, concurrency, timeout, 0);
	}

	/**
	 * Connect clients, at most {@code concurrency} handshakes at a time, and wait until
	 * every one has subscribed or failed.
	 * @param targets one per client: the user, its token and the node's port
	 * @param destinations what each client subscribes to
	 * @param subscribeHeaders extra headers of each SUBSCRIBE ({@code name:value})
	 * @param concurrency handshakes in flight
	 * @param timeout the longest time to wait for all
	 * @param tolerated how many clients may fail before this throws
	 * @return the number of clients that failed
	 * @throws IllegalStateException if more clients failed than tolerated
	 */
	public int connect(List<Target> targets, List<String> destinations, List<String> subscribeHeaders, int concurrency,
			Duration timeout, int tolerated) {
		Semaphore inFlight = new Semaphore(concurrency);
		List<CompletableFuture<StompClient>> started = new ArrayList<>(targets.size());
		long deadline = System.nanoTime() + timeout.toNanos();
		int i = 0;
		for (Target target : targets) {
			try {
				if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					break;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while connecting", ex);
			}
			StompClient client = new StompClient(this, target.userId(), target.token(), destinations, subscribeHeaders);
			this.clients.add(client);
			HttpClient http = this.httpClients.get(i++ % this.httpClients.size());
			started.add(client.start(http, URI.create("ws://127.0.0.1:" + target.port() + "/ws"), timeout)
				.whenComplete((c, ex) -> inFlight.release()));
		}
		int failed = 0;
		Throwable first = null;
		for (CompletableFuture<StompClient> future : started) {
			try {
				future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				failed++;
				first = (first != null) ? first : ex;
				note("connect failed: " + ex.getMessage());
			}
		}
		if (failed > tolerated || started.size() < targets.size()) {
			throw new IllegalStateException(failed
					+ " of " + targets.size() + " clients failed to connect" + ((started.size() < targets.size())
							? " (" + (targets.size() - started.size()) + " not started)" : "")
					+ ((first != null) ? ", first: " + first : ""));
		}
		return failed;
	}

	/**
	 * Start counting the messages of a new phase.
	 * @param phase the phase number the senders write into the payload
	 */
	public void startPhase(int phase) {
		this.latency.reset();
		this.delivered.reset();
		this.stray.reset();
		this.phase = phase;
	}

	/**
	 * Return the messages of the current phase received so far.
	 * @return the count
	 */
	public long delivered() {
		return this.delivered.sum();
	}

	/**
	 * Return the messages received in the current phase that belonged to another one.
	 * @return the count
	 */
	public long stray() {
		return this.stray.sum();
	}

	/**
	 * Return the latency histogram of the current phase.
	 * @return the histogram
	 */
	public LatencyHistogram latency() {
		return this.latency;
	}

	/**
	 * Return the latest receipt time of any client.
	 * @return a {@code System.nanoTime()} value, 0 if nothing was received
	 */
	public long lastReceiptNanos() {
		long last = 0;
		synchronized (this.clients) {
			for (StompClient client : this.clients) {
				last = Math.max(last, client.lastReceiptNanos());
			}
		}
		return last;
	}

	/**
	 * Describe the clients that received the fewest messages of a phase: for a phase with
	 * missing messages, whether they are spread or missing at a few users.
	 * @param phase the phase
	 * @param limit how many clients to name
	 * @return for example {@code "c12 got 3, c40 got 79 (median 80)"}
	 */
	public String fewest(int phase, int limit) {
		List<StompClient> all;
		synchronized (this.clients) {
			all = new ArrayList<>(this.clients);
		}
		all.sort(java.util.Comparator.comparingLong((client) -> client.receivedOf(phase)));
		if (all.isEmpty()) {
			return "no clients";
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < Math.min(limit, all.size()); i++) {
			out.append((i > 0) ? ", " : "")
				.append(all.get(i).userId())
				.append(" got ")
				.append(all.get(i).receivedOf(phase));
		}
		return out.append(" (median ").append(all.get(all.size() / 2).receivedOf(phase)).append(")").toString();
	}

	/**
	 * Return the users whose client has not received a message of this phase yet.
	 * @param phase the phase
	 * @return the user ids
	 */
	public List<String> usersWithout(int phase) {
		List<String> missing = new ArrayList<>();
		synchronized (this.clients) {
			for (StompClient client : this.clients) {
				if (client.lastPhase() < phase) {
					missing.add(client.userId());
				}
			}
		}
		return missing;
	}

	/**
	 * Return the number of connected clients.
	 * @return the count
	 */
	public int size() {
		return this.clients.size();
	}

	/**
	 * Return the number of clients closed by the server or the network, not by us.
	 * @return the count
	 */
	public int unexpectedCloses() {
		return this.unexpectedCloses.get();
	}

	/**
	 * Return the ERROR frames received.
	 * @return the count
	 */
	public long errors() {
		return this.errors.get();
	}

	/**
	 * Return up to a few problem descriptions (ERROR frames, unexpected closes).
	 * @return the descriptions
	 */
	public List<String> problems() {
		return new ArrayList<>(this.problems);
	}

	/**
	 * Close every client and wait (at most the timeout) for the server to answer.
	 * @param timeout the longest wait
	 */
	public void disconnectAll(Duration timeout) {
		List<StompClient> all;
		synchronized (this.clients) {
			all = new ArrayList<>(this.clients);
			this.clients.clear();
		}
		List<CompletableFuture<?>> closes = new ArrayList<>(all.size());
		for (StompClient client : all) {
			closes.add(client.close());
		}
		try {
			CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			// a client that did not close in time is cut off below
		}
		all.forEach(StompClient::abort);
	}

	@Override
	public void close() {
		disconnectAll(Duration.ofSeconds(10));
		this.executors.forEach(ExecutorService::shutdownNow);
	}

	void received(int phase, long latencyNanos) {
		if (phase == this.phase) {
			this.delivered.increment();
			this.latency.record(latencyNanos / 1000);
		}
		else {
			this.stray.increment();
		}
	}

	void error(StompClient client, String text) {
		this.errors.incrementAndGet();
		note("ERROR frame for " + client.userId() + ": " + text);
	}

	void closed(StompClient client, String reason) {
		if (!client.isCloseRequested()) {
			this.unexpectedCloses.incrementAndGet();
			note("connection of " + client.userId() + " closed: " + reason);
		}
	}

	private void note(String problem) {
		if (this.problems.size() < 10) {
			this.problems.add(problem);
		}
	}

	/**
	 * One client to connect.
	 *
	 * @param userId the user
	 * @param token its bearer token
	 * @param port the port of the node it connects to
	 */
	public record Target(String userId, String token, int port) {

	}

}
