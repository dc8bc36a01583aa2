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

package io.github.notifystomp.benchmarks.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.config.WebSocketMessageBrokerStats;

/**
 * The benchmark trigger and probes of a server node: {@code POST /bench/send} makes this
 * node send messages at a given rate, {@code GET /bench/stats} reports heap and sessions,
 * and {@code POST /bench/profile} starts and stops a JFR recording. For benchmark servers
 * only: it has no authentication.
 */
@RestController
public class BenchController {

	private final BenchSender sender;

	private final WebSocketMessageBrokerStats brokerStats;

	private final AtomicReference<Recording> recording = new AtomicReference<>();

	/**
	 * Create the controller.
	 * @param sender sends through the server's messaging API
	 * @param brokerStats Spring's WebSocket session statistics
	 */
	public BenchController(BenchSender sender, WebSocketMessageBrokerStats brokerStats) {
		this.sender = sender;
		this.brokerStats = brokerStats;
	}

	/**
	 * Send {@code count} messages from this node, spread over {@code threads} sender
	 * threads, at {@code rate} messages per second (0: as fast as the send calls return),
	 * to users {@code userPrefix + i} for {@code i} in {@code [from, to)} in turn, or as
	 * broadcasts. Returns when every send call has returned.
	 * @param request what to send
	 * @return how many were sent, how many send calls failed, and how long it took
	 * @throws InterruptedException if interrupted
	 */
	@PostMapping("/bench/send")
	public SendReport send(@RequestBody SendRequest request) throws InterruptedException {
		int threads = Math.max(1, request.threads());
		AtomicLong sent = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicReference<String> lastError = new AtomicReference<>();
		boolean broadcast = "broadcast".equals(request.mode());
		int users = Math.max(1, request.to() - request.from());
		long start = System.nanoTime();
		double intervalNanos = (request.rate() > 0) ? 1_000_000_000d / request.rate() : 0;
		List<Thread> workers = new ArrayList<>(threads);
		for (int k = 0; k < threads; k++) {
			int first = k;
			Thread worker = new Thread(() -> {
				for (long i = first; i < request.count(); i += threads) {
					if (intervalNanos > 0) {
						long wait = start + (long) (i * intervalNanos) - System.nanoTime();
						if (wait > 0) {
							LockSupport.parkNanos(wait);
						}
					}
					try {
						BenchPayload payload = BenchPayload.now(request.phase());
						if (broadcast) {
							this.sender.broadcast(payload);
						}
						else {
							this.sender.sendToUser(request.userPrefix() + (request.from() + (i % users)), payload);
						}
						sent.incrementAndGet();
					}
					catch (RuntimeException ex) {
						errors.incrementAndGet();
						lastError.set(ex.toString());
					}
				}
			}, "bench-sender-" + k);
			workers.add(worker);
			worker.start();
		}
		for (Thread worker : workers) {
			worker.join();
		}
		return new SendReport(sent.get(), errors.get(), System.nanoTime() - start, lastError.get());
	}

	/**
	 * Report heap and session statistics.
	 * @param gc whether to run a full garbage collection first, so that the heap figure
	 * is what is live
	 * @return the statistics
	 */
	@GetMapping("/bench/stats")
	public Map<String, Object> stats(@RequestParam(defaultValue = "false") boolean gc) {
		if (gc) {
			System.gc();
			System.gc();
		}
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("heapUsed", heap.getUsed());
		stats.put("heapCommitted", heap.getCommitted());
		stats.put("sessions", this.brokerStats.getWebSocketSessionStats().getWebSocketSessions());
		stats.put("limitExceededSessions", this.brokerStats.getWebSocketSessionStats().getLimitExceededSessions());
		stats.put("transportErrorSessions", this.brokerStats.getWebSocketSessionStats().getTransportErrorSessions());
		stats.put("knownUsers", this.sender.knownUsers());
		stats.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
		stats.put("compilationMillis", ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
		return stats;
	}

	/**
	 * Start a JFR recording with the JDK's {@code profile} settings.
	 * @throws IOException if the settings cannot be read
	 * @throws ParseException if the settings cannot be parsed
	 */
	@PostMapping("/bench/profile/start")
	public void startProfile() throws IOException, ParseException {
		Recording started = new Recording(Configuration.getConfiguration("profile"));
		started.setToDisk(true);
		Recording previous = this.recording.getAndSet(started);
		if (previous != null) {
			previous.close();
		}
		started.start();
	}

	/**
	 * Stop the JFR recording and write it to a file.
	 * @param file where to write the recording
	 * @throws IOException if the file cannot be written
	 */
	@PostMapping("/bench/profile/stop")
	public void stopProfile(@RequestParam String file) throws IOException {
		Recording running = this.recording.getAndSet(null);
		if (running == null) {
			throw new IllegalStateException("No recording is running");
		}
		try {
			running.stop();
			running.dump(Path.of(file));
		}
		finally {
			running.close();
		}
	}

	/**
	 * What {@code POST /bench/send} sends.
	 *
	 * @param mode {@code user} or {@code broadcast}
	 * @param userPrefix the user ids are this prefix followed by a number
	 * @param from the first user number
	 * @param to one more than the last user number
	 * @param count how many messages
	 * @param rate messages per second, 0 for as fast as possible
	 * @param threads sender threads
	 * @param phase the phase number written into every payload
	 */
	public record SendRequest(String mode, String userPrefix, int from, int to, long count, double rate, int threads,
			int phase) {

	}

	/**
	 * What {@code POST /bench/send} did.
	 *
	 * @param sent send calls that returned normally
	 * @param errors send calls that threw
	 * @param elapsedNanos time from the first send call to the last return
	 * @param lastError the last exception, or {@code null}
	 */
	public record SendReport(long sent, long errors, long elapsedNanos, String lastError) {

	}

}
