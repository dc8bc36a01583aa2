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

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

import tools.jackson.databind.JsonNode;

import io.github.notifystomp.benchmarks.client.ClientFleet;
import io.github.notifystomp.benchmarks.client.LatencyHistogram;
import io.github.notifystomp.benchmarks.common.BenchController.SendRequest;
import io.github.notifystomp.benchmarks.common.BenchTokens;

/**
 * What every scenario uses: the options, services and report of the run, starting nodes,
 * connecting clients, and measuring one phase of load.
 */
final class Bench {

	private final Options options;

	private final Services services;

	private final Report report;

	private final NodeHttp http = new NodeHttp();

	private final String secret;

	private final BenchTokens tokens;

	private final String runId;

	private final Path runDirectory;

	private final long started = System.nanoTime();

	private final List<NodeProcess> running = Collections.synchronizedList(new ArrayList<>());

	private int nextPhase = 1;

	Bench(Options options, Services services, Report report, String runId, Path runDirectory, String secret) {
		this.options = options;
		this.services = services;
		this.report = report;
		this.runId = runId;
		this.runDirectory = runDirectory;
		this.secret = secret;
		this.tokens = new BenchTokens(secret);
	}

	Options options() {
		return this.options;
	}

	Services services() {
		return this.services;
	}

	Report report() {
		return this.report;
	}

	NodeHttp http() {
		return this.http;
	}

	String runId() {
		return this.runId;
	}

	/**
	 * Return the Redis key prefix of this run, unique so that concurrent runs and apps
	 * never share keys.
	 */
	String keyPrefix() {
		return "nsbench-" + this.runId;
	}

	void log(String message) {
		System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - this.started) / 1e9, message);
	}

	// ---- nodes

	/**
	 * The Spring Boot arguments every node gets.
	 */
	List<String> commonArguments(boolean withDataSource) {
		List<String> arguments = new ArrayList<>(
				List.of("--bench.token-secret=" + this.secret, "--spring.main.banner-mode=off",
						"--logging.level.root=WARN", "--logging.level.io.github.notifystomp=INFO",
						"--management.endpoints.web.exposure.include=health,metrics",
						"--server.tomcat.max-connections=" + Math.max(20_000, this.options.idleSessions() + 1000),
						"--server.tomcat.accept-count=1000",
						// Jetty closes a connection idle for 30 s, and the idle
						// sessions of S4 send nothing; Tomcat has no such timeout
						"--server.jetty.connection-idle-timeout=1d"));
		if (!withDataSource) {
			arguments.add("--spring.autoconfigure.exclude="
					+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		}
		return arguments;
	}

	/**
	 * The arguments of a notify-stomp node in cluster mode.
	 */
	List<String> clusterArguments(String nodeId, String routing) {
		return List.of("--notify.stomp.cluster.enabled=true", "--notify.stomp.cluster.node-id=" + nodeId,
				"--notify.stomp.cluster.routing=" + routing, "--notify.stomp.cluster.key-prefix=" + keyPrefix(),
				"--spring.data.redis.host=" + this.options.redisHost(),
				"--spring.data.redis.port=" + this.options.redisPort());
	}

	/**
	 * Start nodes in parallel and wait until all answer.
	 */
	List<NodeProcess> start(List<NodeSpec> specs) {
		return start(specs, this.options.container());
	}

	/**
	 * Start nodes on the given servlet container in parallel and wait until all answer.
	 */
	List<NodeProcess> start(List<NodeSpec> specs, String container) {
		List<NodeProcess> nodes = new ArrayList<>();
		long begin = System.nanoTime();
		for (NodeSpec spec : specs) {
			List<String> jvmOptions = new ArrayList<>(spec.jvmOptions());
			jvmOptions.addAll(this.options.nodeJvmOptions());
			NodeProcess node = NodeProcess.start(spec.name(), spec.role(), jvmOptions, spec.arguments(), container,
					this.runDirectory.resolve("logs"));
			nodes.add(node);
			this.running.add(node);
		}
		try {
			for (NodeProcess node : nodes) {
				node.awaitReady(this.http, Duration.ofSeconds(180));
			}
		}
		catch (RuntimeException ex) {
			stop(nodes);
			throw ex;
		}
		log("started " + nodes.size() + " node(s) " + nodes.stream().map(NodeProcess::name).toList() + " in "
				+ String.format("%.1f s", (System.nanoTime() - begin) / 1e9));
		return nodes;
	}

	void stop(List<NodeProcess> nodes) {
		NodeProcess.closeAll(nodes);
		this.running.removeAll(nodes);
	}

	void stopAll() {
		List<NodeProcess> all;
		synchronized (this.running) {
			all = new ArrayList<>(this.running);
		}
		stop(all);
	}

	// ---- clients

	/**
	 * Clients for users {@code prefix + i}, {@code i} in {@code [from, to)}, each on the
	 * node the function picks.
	 */
	List<ClientFleet.Target> targets(String prefix, int from, int to, IntUnaryOperator portOfUser) {
		List<ClientFleet.Target> targets = new ArrayList<>(to - from);
		Instant expiresAt = Instant.now().plus(Duration.ofHours(2));
		for (int i = from; i < to; i++) {
			targets.add(new ClientFleet.Target(prefix + i, this.tokens.issue(prefix + i, expiresAt),
					portOfUser.applyAsInt(i)));
		}
		return targets;
	}

	/**
	 * Make sure every client's subscription is live: the node sends one message to each
	 * user until every client has one.
	 */
	void probe(ClientFleet fleet, NodeProcess sender, String prefix, int users) {
		int phase = this.nextPhase++;
		fleet.startPhase(phase);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			this.http.post(sender.port(), "/bench/send", new SendRequest("user", prefix, 0, users, users, 0, 1, phase));
			long waitUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			while (!fleet.usersWithout(phase).isEmpty() && System.nanoTime() < waitUntil) {
				NodeProcess.sleep(50);
			}
			List<String> missing = fleet.usersWithout(phase);
			if (missing.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(missing.size() + " clients never received a message, e.g. "
						+ missing.subList(0, Math.min(5, missing.size())) + "; problems: " + fleet.problems());
			}
		}
	}

	/**
	 * Warm the nodes up: repeat a load until the JIT compilers of every node have settled
	 * (they compiled for less than 5 % of the last round's wall time), at least
	 * {@code minRounds} times and for at most {@code maxSeconds}. On 2 cores a freshly
	 * started JVM keeps compiling for tens of seconds under load, and until it is done
	 * the figures measure the JIT, not the code.
	 * @return a short description of the warm-up
	 */
	String warmUp(String label, List<NodeProcess> nodes, ClientFleet fleet, IntFunction<List<Send>> sends,
			long expected, int minRounds, int maxSeconds) {
		return warmUp(label, nodes, fleet, List.of(new WarmUpLoad(sends, expected)), minRounds, maxSeconds);
	}

	/**
	 * Warm the nodes up with several loads, one per round in turn: settled when the last
	 * round of each load kept the JIT compilers busy for less than 5 % of its wall time.
	 * A scenario that measures several loads warms up with those loads, at the size it
	 * measures them: a node compiles for what it runs, and a smaller or mixed load leaves
	 * the paths of a full-size burst (deeper queues, joined frames) to the first measured
	 * phase.
	 * @return a short description of the warm-up
	 */
	String warmUp(String label, List<NodeProcess> nodes, ClientFleet fleet, List<WarmUpLoad> loads, int minRounds,
			int maxSeconds) {
		long start = System.nanoTime();
		int rounds = 0;
		double[] compiling = new double[loads.size()];
		Arrays.fill(compiling, 1);
		while (true) {
			WarmUpLoad load = loads.get(rounds % loads.size());
			long[] before = compilationMillis(nodes);
			long roundStart = System.nanoTime();
			measureQuietly(label, nodes, fleet, load.sends(), load.expected());
			long[] after = awaitCompilersIdle(nodes);
			double wallMillis = (System.nanoTime() - roundStart) / 1e6;
			double busy = 0;
			for (int i = 0; i < nodes.size(); i++) {
				busy = Math.max(busy, (after[i] - before[i]) / wallMillis);
			}
			compiling[rounds % loads.size()] = busy;
			rounds++;
			boolean settled = Arrays.stream(compiling).allMatch((value) -> value < 0.05);
			if ((rounds >= minRounds && settled) || System.nanoTime() - start > maxSeconds * 1_000_000_000L) {
				break;
			}
		}
		double lastBusy = Arrays.stream(compiling).max().orElse(0);
		double seconds = (System.nanoTime() - start) / 1e9;
		String description = (loads.size() == 1)
				? String.format("%d round(s), %.0f s, JIT busy %.0f %% of the last round", rounds, seconds,
						lastBusy * 100)
				: String.format("%d round(s) of %d loads in turn, %.0f s, JIT busy at most %.0f %% of the last"
						+ " round of each", rounds, loads.size(), seconds, lastBusy * 100);
		log(label + ": " + description);
		return description;
	}

	/**
	 * One load of a warm-up.
	 *
	 * @param sends the sends of a round, given its phase number
	 * @param expected the deliveries a round expects
	 */
	record WarmUpLoad(IntFunction<List<Send>> sends, long expected) {
	}

	// a round at full load leaves the compilers a small share of the 2 cores, and
	// their queue grows faster than they empty it: a pause of up to 2 s after each
	// round, until no node compiled for 250 ms, lets them finish (the pause counts
	// in the round's time)
	private long[] awaitCompilersIdle(List<NodeProcess> nodes) {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		long[] last = compilationMillis(nodes);
		while (System.nanoTime() < deadline) {
			NodeProcess.sleep(250);
			long[] now = compilationMillis(nodes);
			if (Arrays.equals(now, last)) {
				return now;
			}
			last = now;
		}
		return last;
	}

	private long[] compilationMillis(List<NodeProcess> nodes) {
		long[] values = new long[nodes.size()];
		for (int i = 0; i < nodes.size(); i++) {
			values[i] = this.http.get(nodes.get(i).port(), "/bench/stats").path("compilationMillis").asLong();
		}
		return values;
	}

	private void measureQuietly(String label, List<NodeProcess> nodes, ClientFleet fleet, IntFunction<List<Send>> sends,
			long expected) {
		int phase = this.nextPhase++;
		List<Send> calls = sends.apply(phase);
		fleet.startPhase(phase);
		// the counters a measured phase reads, read here too: a node compiles their
		// endpoints now, not while a measured phase runs
		readCounters(nodes);
		List<CompletableFuture<JsonNode>> reports = new ArrayList<>();
		for (Send call : calls) {
			reports.add(this.http.postAsync(call.node().port(), "/bench/send", call.request()));
		}
		long lastProgress = System.nanoTime();
		long lastCount = -1;
		while (true) {
			NodeProcess.sleep(20);
			long delivered = fleet.delivered();
			boolean sent = reports.stream().allMatch(CompletableFuture::isDone);
			if ((delivered >= expected && sent)
					|| (sent && System.nanoTime() - lastProgress > Duration.ofSeconds(3).toNanos())) {
				break;
			}
			if (delivered != lastCount) {
				lastCount = delivered;
				lastProgress = System.nanoTime();
			}
		}
		reports.forEach(CompletableFuture::join);
		readCounters(nodes);
	}

	private void readCounters(List<NodeProcess> nodes) {
		droppedByReason(nodes);
		relayCounts(nodes);
		nodes.forEach((node) -> this.http.get(node.port(), "/bench/stats"));
	}

	/**
	 * Profile the nodes with JFR while they run a load again (never during a measured
	 * phase: recording costs CPU), and file the summary in the report.
	 * @param name the profile's name
	 */
	void profile(String name, List<NodeProcess> nodes, ClientFleet fleet, IntFunction<List<Send>> sends,
			long expected) {
		nodes.forEach((node) -> this.http.post(node.port(), "/bench/profile/start", null));
		measureQuietly(name, nodes, fleet, sends, expected);
		List<Path> recordings = new ArrayList<>();
		for (NodeProcess node : nodes) {
			Path file = this.runDirectory.resolve("jfr").resolve(name + "-" + node.name() + ".jfr").toAbsolutePath();
			file.getParent().toFile().mkdirs();
			this.http.post(node.port(), "/bench/profile/stop?file=" + file, null);
			recordings.add(file);
		}
		this.report.profile(name, JfrSummary.summarize(recordings, 12));
		log("profiled " + name + " (JFR, " + nodes.size() + " node(s))");
	}

	// ---- one phase of load

	/**
	 * Run one phase: every send goes out at once, then wait until the clients received
	 * the expected number of messages of this phase (or nothing arrived for a few
	 * seconds).
	 * @param label what the phase measures
	 * @param nodes the server nodes whose CPU and memory count
	 * @param fleet the receiving clients
	 * @param sends the sends of the phase, given its phase number
	 * @param expected the number of deliveries expected
	 * @param brokerPid the process of the broker (Redis or RabbitMQ), or -1
	 * @return the measurement
	 */
	PhaseResult measure(String label, List<NodeProcess> nodes, ClientFleet fleet, IntFunction<List<Send>> sends,
			long expected, long brokerPid) {
		int phase = this.nextPhase++;
		List<Send> calls = sends.apply(phase);
		fleet.startPhase(phase);
		// the counters first: reading them is not the load, and their CPU must not count
		Map<String, Double> droppedBefore = droppedByReason(nodes);
		double[] relaysBefore = relayCounts(nodes);
		long[] cpuBefore = nodes.stream().mapToLong(NodeProcess::cpuNanos).toArray();
		long clientBefore = ProcStats.cpuNanos(ProcessHandle.current().pid());
		long brokerBefore = (brokerPid > 0) ? ProcStats.cpuNanos(brokerPid) : -1;
		long start = System.nanoTime();
		List<CompletableFuture<JsonNode>> reports = new ArrayList<>();
		for (Send call : calls) {
			reports.add(this.http.postAsync(call.node().port(), "/bench/send", call.request()));
		}
		long lastCount = -1;
		long lastProgress = start;
		long maxWait = Duration.ofSeconds(this.options.quick() ? 60 : 120).toNanos();
		boolean timedOut = false;
		while (true) {
			NodeProcess.sleep(20);
			long now = System.nanoTime();
			long delivered = fleet.delivered();
			boolean sent = reports.stream().allMatch(CompletableFuture::isDone);
			if (delivered >= expected && sent) {
				break;
			}
			if (delivered != lastCount) {
				lastCount = delivered;
				lastProgress = now;
			}
			if (sent && now - lastProgress > Duration.ofSeconds(3).toNanos()) {
				break;
			}
			if (now - start > maxWait) {
				timedOut = true;
				break;
			}
		}
		long end = System.nanoTime();
		double seconds = (end - start) / 1e9;
		double serverCpu = 0;
		for (int i = 0; i < nodes.size(); i++) {
			serverCpu += (nodes.get(i).cpuNanos() - cpuBefore[i]) / 1e9 / seconds;
		}
		double clientCpu = (ProcStats.cpuNanos(ProcessHandle.current().pid()) - clientBefore) / 1e9 / seconds;
		double brokerCpu = (brokerPid > 0) ? (ProcStats.cpuNanos(brokerPid) - brokerBefore) / 1e9 / seconds
				: Double.NaN;
		long sentCount = 0;
		long sendErrors = 0;
		long sendNanos = 0;
		String sendError = null;
		for (CompletableFuture<JsonNode> future : reports) {
			JsonNode json = future.join();
			sentCount += json.path("sent").asLong();
			sendErrors += json.path("errors").asLong();
			sendNanos = Math.max(sendNanos, json.path("elapsedNanos").asLong());
			if (!json.path("lastError").isNull() && json.hasNonNull("lastError")) {
				sendError = json.path("lastError").asString();
			}
		}
		long delivered = fleet.delivered();
		long lastReceipt = fleet.lastReceiptNanos();
		// a message that comes after 3 s without progress is late, not lost: wait for it,
		// outside the measured window
		long late = (delivered < expected && !timedOut) ? awaitLate(fleet, delivered, expected) : 0;
		double window = ((lastReceipt > start) ? lastReceipt - start : end - start) / 1e9;
		long heap = 0;
		long rss = 0;
		for (NodeProcess node : nodes) {
			heap += this.http.get(node.port(), "/bench/stats").path("heapUsed").asLong();
			rss += node.rssBytes();
		}
		Map<String, Double> dropped = droppedSince(droppedBefore, nodes);
		// a node counts relayed messages that never came once their gap has waited 10 s
		// for late ones (relay-gap): give the counters that long to explain a loss
		long explainBy = System.nanoTime() + Duration.ofSeconds(12).toNanos();
		while (!timedOut && delivered + late + count(dropped) + sendErrors < expected
				&& System.nanoTime() < explainBy) {
			NodeProcess.sleep(200);
			dropped = droppedSince(droppedBefore, nodes);
		}
		long droppedCount = count(dropped);
		LatencyHistogram latency = fleet.latency();
		PhaseResult result = new PhaseResult(label, expected, delivered, sentCount, sendErrors,
				sentCount / Math.max(1e-9, sendNanos / 1e9), delivered / window, latency.percentile(0.50) / 1000.0,
				latency.percentile(0.99) / 1000.0, latency.percentile(0.999) / 1000.0, serverCpu, clientCpu, brokerCpu,
				heap / 1048576.0, rss / 1048576.0, serverCpu * seconds, droppedCount);
		String problem = null;
		if (timedOut) {
			problem = label + ": timed out after " + maxWait / 1_000_000_000 + " s";
		}
		else if (delivered + late + droppedCount + sendErrors < expected) {
			// a loss fails the phase unless the starter counted a reason for each message
			// (a send that failed told its caller: not a loss)
			problem = label + ": " + (delivered + late) + " of " + expected + " messages arrived, "
					+ (expected - delivered - late - droppedCount - sendErrors) + " lost without a counted reason"
					+ (dropped.isEmpty() ? "" : " (counted drops: " + dropped + ")");
		}
		if (late > 0) {
			problem = ((problem != null) ? problem + "; " : label + ": ") + late
					+ " message(s) arrived more than 3 s after the one before";
		}
		if (!dropped.isEmpty()) {
			log(label + ": counted drops " + dropped);
		}
		if (fleet.stray() > 0) {
			log(label + ": " + fleet.stray() + " message(s) of earlier phases arrived during this one");
		}
		if (sendErrors > 0) {
			problem = ((problem != null) ? problem + "; " : label + ": ") + sendErrors + " send calls failed, last: "
					+ sendError;
		}
		if (fleet.unexpectedCloses() > 0 || fleet.errors() > 0) {
			problem = ((problem != null) ? problem + "; " : label + ": ") + fleet.unexpectedCloses()
					+ " connections closed, " + fleet.errors() + " ERROR frames: " + fleet.problems();
		}
		if (delivered + late < expected) {
			// where the missing messages are: a few users (a stuck session) or
			// spread, and whether they were published to Redis and received
			// from it
			double[] relays = relayCounts(nodes);
			log(label + ": fewest messages per user: " + fleet.fewest(phase, 8) + "; relays published "
					+ Math.round(relays[0] - relaysBefore[0]) + ", received " + Math.round(relays[1] - relaysBefore[1])
					+ ", dropped " + Math.round(relays[2] - relaysBefore[2]));
		}
		if (problem != null) {
			this.report.problem(problem);
			log("PROBLEM " + problem);
		}
		log(result.summary());
		return result;
	}

	// waits up to 10 s more for the messages still missing; returns how many came
	private static long awaitLate(ClientFleet fleet, long delivered, long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (fleet.delivered() < expected && System.nanoTime() < deadline) {
			NodeProcess.sleep(50);
		}
		return fleet.delivered() - delivered;
	}

	// the starter's relay counters of every node, summed: published, received, dropped
	private double[] relayCounts(List<NodeProcess> nodes) {
		double[] counts = new double[3];
		for (NodeProcess node : nodes) {
			counts[0] += this.http.counter(node.port(), "notify.stomp.relay.published");
			counts[1] += this.http.counter(node.port(), "notify.stomp.relay.received");
			counts[2] += this.http.counter(node.port(), "notify.stomp.relay.dropped");
		}
		return counts;
	}

	private Map<String, Double> droppedSince(Map<String, Double> before, List<NodeProcess> nodes) {
		Map<String, Double> dropped = droppedByReason(nodes);
		before.forEach((reason, count) -> dropped.merge(reason, -count, Double::sum));
		dropped.values().removeIf((count) -> count <= 0);
		return dropped;
	}

	private static long count(Map<String, Double> dropped) {
		return Math.round(dropped.values().stream().mapToDouble(Double::doubleValue).sum());
	}

	// the starter's drop counter of every node, summed per reason; baseline
	// servers have none
	private Map<String, Double> droppedByReason(List<NodeProcess> nodes) {
		Map<String, Double> total = new TreeMap<>();
		for (NodeProcess node : nodes) {
			this.http.counterByTag(node.port(), "notify.stomp.messages.dropped", "reason")
				.forEach((reason, count) -> total.merge(reason, count, Double::sum));
		}
		return total;
	}

	/**
	 * One send call of a phase.
	 *
	 * @param node the node that sends
	 * @param request what it sends
	 */
	record Send(NodeProcess node, SendRequest request) {

	}

	/**
	 * A node to start.
	 *
	 * @param name its name
	 * @param role the jar's role switch
	 * @param jvmOptions heap and GC options
	 * @param arguments Spring Boot arguments
	 */
	record NodeSpec(String name, String role, List<String> jvmOptions, List<String> arguments) {

	}

	/**
	 * What one phase measured.
	 *
	 * @param label the phase
	 * @param expected deliveries expected
	 * @param delivered deliveries received
	 * @param sent send calls that returned
	 * @param sendErrors send calls that threw
	 * @param sendRate send calls per second (over the longest-sending node)
	 * @param deliveredRate deliveries per second, from the first send to the last receipt
	 * @param p50 latency percentile in ms
	 * @param p99 latency percentile in ms
	 * @param p999 latency percentile in ms
	 * @param serverCpu CPU cores used by all server nodes
	 * @param clientCpu CPU cores used by the load generator
	 * @param brokerCpu CPU cores used by the broker (Redis or RabbitMQ)
	 * @param heapMb heap used by all nodes after the phase
	 * @param rssMb resident memory of all nodes after the phase
	 * @param serverCpuSeconds CPU time used by all server nodes during the phase
	 * @param dropped messages the starter counted as dropped during the phase, with a
	 * reason ({@code notify.stomp.messages.dropped})
	 */
	record PhaseResult(String label, long expected, long delivered, long sent, long sendErrors, double sendRate,
			double deliveredRate, double p50, double p99, double p999, double serverCpu, double clientCpu,
			double brokerCpu, double heapMb, double rssMb, double serverCpuSeconds, long dropped) {

		Map<String, Object> row(String variant, String offered) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("variant", variant);
			row.put("load", this.label);
			row.put("offered msg/s", offered);
			row.put("send calls/s", this.sendRate);
			row.put("delivered", this.delivered + "/" + this.expected);
			row.put("dropped (counted)", this.dropped);
			row.put("delivered msg/s", this.deliveredRate);
			row.put("p50 ms", this.p50);
			row.put("p99 ms", this.p99);
			row.put("p99.9 ms", this.p999);
			row.put("server CPU", this.serverCpu);
			row.put("server CPU µs/msg", cpuMicrosPerMessage());
			row.put("client CPU", this.clientCpu);
			if (!Double.isNaN(this.brokerCpu)) {
				row.put("broker CPU", this.brokerCpu);
			}
			row.put("heap MB", this.heapMb);
			row.put("RSS MB", this.rssMb);
			return row;
		}

		/**
		 * Return the server CPU time per delivered message: unlike throughput, it hardly
		 * moves when other processes take CPU from the machine.
		 */
		double cpuMicrosPerMessage() {
			return (this.delivered > 0) ? this.serverCpuSeconds * 1e6 / this.delivered : Double.NaN;
		}

		boolean complete() {
			return this.delivered >= this.expected;
		}

		String summary() {
			return String.format(
					"%s: %d/%d delivered, %.0f msg/s delivered, %.0f send calls/s, p50 %.2f ms, p99 %.2f ms,"
							+ " p99.9 %.2f ms, server CPU %.2f cores",
					this.label, this.delivered, this.expected, this.deliveredRate, this.sendRate, this.p50, this.p99,
					this.p999, this.serverCpu);
		}

	}

}
