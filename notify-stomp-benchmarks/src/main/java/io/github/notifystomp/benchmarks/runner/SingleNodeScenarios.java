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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import tools.jackson.databind.JsonNode;

import io.github.notifystomp.benchmarks.client.ClientFleet;
import io.github.notifystomp.benchmarks.client.IdleSessions;
import io.github.notifystomp.benchmarks.common.BenchController.SendRequest;
import io.github.notifystomp.benchmarks.runner.Bench.NodeSpec;
import io.github.notifystomp.benchmarks.runner.Bench.PhaseResult;
import io.github.notifystomp.benchmarks.runner.Bench.Send;

/**
 * The single-node scenarios, run on two nodes started together (Spring's simple broker
 * and notify-stomp): S1 local fan-out (broadcast and per-user sends to N connected users,
 * at full speed, alternating between the nodes and repeated, and at a third of the
 * baseline's throughput), the no-store reference of S5, and S4 idle sessions.
 */
final class SingleNodeScenarios {

	static final String S1 = "S1 local fan-out: one node, users connected to it";

	static final String S4 = "S4 idle sessions: authenticated, subscribed STOMP sessions held by one node";

	// ephemeral ports toward one server port from one source address: about 28,000
	private static final int SESSIONS_PER_ADDRESS = 20_000;

	private static final String S4_TARGET = "50,000 idle sessions on one node at <= 20 KB heap each";

	private static final List<String> S4_CONTAINERS = List.of("tomcat", "jetty");

	private static final String PLAIN = "Spring simple broker (baseline)";

	private static final String NOTIFY = "notify-stomp";

	private final Bench bench;

	private final Options options;

	private final Map<String, PhaseResult> baseline = new HashMap<>();

	private final Map<String, PhaseResult> measured = new HashMap<>();

	private final Map<String, Map<String, Object>> idle = new HashMap<>();

	// median of the ratios of back-to-back runs, by load
	private final Map<String, Double> ratios = new HashMap<>();

	// median of the ratios of server CPU per message (baseline / ours), by load
	private final Map<String, Double> cpuRatios = new HashMap<>();

	SingleNodeScenarios(Bench bench) {
		this.bench = bench;
		this.options = bench.options();
	}

	void run() {
		if (this.options.runs("S1") || this.options.runs("S5")) {
			onNodes("S1/S5", "single", 1024, (nodes) -> fanOut(nodes.get(0), nodes.get(1)));
		}
		if (this.options.runs("S4")) {
			// both Boot-supported servlet containers, in one run: the README's
			// advice on which to choose for many idle connections rests on
			// figures from one machine
			for (String container : S4_CONTAINERS) {
				idleSessions(container);
			}
		}
		targets();
	}

	private void idleSessions(String container) {
		// live heap grows with the sessions (Tomcat's buffers are several times Jetty's),
		// so S4 gets nodes of its own, sized for them
		int perSession = container.equals("jetty") ? 48 : 128;
		int heapMb = (int) Math.max(1024, 512 + (long) this.options.idleSessions() * perSession / 1024);
		onNodes("S4 (" + container + ")", "idle-" + container, heapMb, container, (nodes) -> {
			for (int i = 0; i < 2; i++) {
				String variant = (i == 0) ? PLAIN : NOTIFY;
				try {
					idleSessions(nodes.get(i), variant, container);
				}
				catch (RuntimeException ex) {
					this.bench.report().problem("S4 " + variant + " (" + container + ") failed: " + ex.getMessage());
					this.bench.log("PROBLEM " + ex);
				}
			}
			this.bench.report()
				.note(S4,
						"each node (-Xmx" + heapMb + "m on " + container
								+ ") measured alone while the other node idled with no"
								+ " sessions; heap is what is live after a full GC, before and after connecting; RSS"
								+ " includes heap the JVM committed; clients negotiate heart-beat 0,0");
		});
	}

	private void onNodes(String scenarios, String name, int heapMb, Consumer<List<NodeProcess>> body) {
		onNodes(scenarios, name, heapMb, this.options.container(), body);
	}

	// starts the two nodes (Spring's simple broker and notify-stomp), runs the scenarios
	// on them and stops them
	private void onNodes(String scenarios, String name, int heapMb, String container,
			Consumer<List<NodeProcess>> body) {
		List<NodeSpec> specs = new ArrayList<>();
		for (String variant : List.of(PLAIN, NOTIFY)) {
			boolean plain = variant.equals(PLAIN);
			List<String> arguments = new ArrayList<>(this.bench.commonArguments(false));
			if (!plain) {
				arguments.add("--notify.stomp.store.type=none");
			}
			specs.add(new NodeSpec(name + (plain ? "-plain" : "-notify"), plain ? "plain" : "server",
					List.of("-Xms256m", "-Xmx" + heapMb + "m", "-XX:+UseG1GC"), arguments));
		}
		List<NodeProcess> nodes;
		try {
			nodes = this.bench.start(specs, container);
		}
		catch (RuntimeException ex) {
			this.bench.report().problem(scenarios + ": a node did not start: " + ex.getMessage());
			return;
		}
		try {
			body.accept(nodes);
		}
		catch (RuntimeException ex) {
			this.bench.report().problem(scenarios + " failed: " + ex.getMessage());
			this.bench.log("PROBLEM " + ex);
		}
		finally {
			this.bench.stop(nodes);
		}
	}

	// both nodes run at once, each with its own clients; phases alternate between them
	// and repeat, so that a load spike from elsewhere on the machine hits both alike
	private void fanOut(NodeProcess plainNode, NodeProcess notifyNode) {
		int users = this.options.s1Users();
		int threads = this.options.senderThreads();
		Map<String, NodeProcess> nodes = new LinkedHashMap<>();
		nodes.put(PLAIN, plainNode);
		nodes.put(NOTIFY, notifyNode);
		Map<String, ClientFleet> fleets = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, NodeProcess> entry : nodes.entrySet()) {
				NodeProcess node = entry.getValue();
				ClientFleet fleet = new ClientFleet();
				fleets.put(entry.getKey(), fleet);
				fleet.connect(this.bench.targets("u", 0, users, (i) -> node.port()),
						List.of("/user/queue/notify", "/topic/notify"), List.of(), 100, Duration.ofSeconds(120));
				this.bench.probe(fleet, node, "u", users);
				this.bench.log(entry.getKey() + ": " + users + " clients connected");
			}
			// both variants warm up alike, with the two loads the max phases measure, at
			// their size, in turn; notify-stomp has more code for the JIT than the plain
			// broker, which settles well within the cap, so the cap is long enough for
			// both to settle on a busy 2-core machine
			int broadcasts = this.options.s1Broadcasts();
			long userMessages = this.options.s1UserMessages();
			for (String variant : nodes.keySet()) {
				NodeProcess node = nodes.get(variant);
				String warmUp = this.bench.warmUp(variant + " warm-up", List.of(node), fleets.get(variant),
						List.of(new Bench.WarmUpLoad(broadcastSends(node, broadcasts, 0), (long) broadcasts * users),
								new Bench.WarmUpLoad(userSends(node, users, userMessages, 0, threads), userMessages)),
						this.options.quick() ? 2 : 4, this.options.quick() ? 10 : 120);
				this.bench.report().note(table(), variant + " warm-up: " + warmUp);
			}
			if (this.options.runs("S1")) {
				maxPhases(nodes, fleets, users, threads);
				fixedRatePhases(nodes, fleets, users, threads);
			}
			if (this.options.runs("S5")) {
				int storeUsers = Math.min(users, this.options.s5Users());
				long messages = this.options.s5Messages();
				PhaseResult none = this.bench.measure("per-user, max (no store)", List.of(notifyNode),
						fleets.get(NOTIFY),
						userSends(notifyNode, storeUsers, messages, 0, this.options.s5SenderThreads()), messages, -1);
				StoredMessagesScenario.row(this.bench, "none (reference, S1 node)", none);
			}
		}
		finally {
			fleets.values().forEach(ClientFleet::close);
		}
	}

	private void maxPhases(Map<String, NodeProcess> nodes, Map<String, ClientFleet> fleets, int users, int threads) {
		int repeats = this.options.quick() ? 1 : 5;
		int broadcasts = this.options.s1Broadcasts();
		long messages = this.options.s1UserMessages();
		Map<String, List<PhaseResult>> runs = new HashMap<>();
		for (int repeat = 1; repeat <= repeats; repeat++) {
			for (String load : List.of("broadcast", "per-user")) {
				for (String variant : nodes.keySet()) {
					NodeProcess node = nodes.get(variant);
					PhaseResult result = load.equals("broadcast")
							? this.bench.measure(variant + " broadcast, max", List.of(node), fleets.get(variant),
									broadcastSends(node, broadcasts, 0), (long) broadcasts * users, -1)
							: this.bench.measure(variant + " per-user, max", List.of(node), fleets.get(variant),
									userSends(node, users, messages, 0, threads), messages, -1);
					runs.computeIfAbsent(variant + "|" + load, (key) -> new ArrayList<>()).add(result);
				}
			}
		}
		for (String load : List.of("broadcast", "per-user")) {
			for (String variant : nodes.keySet()) {
				List<PhaseResult> results = runs.get(variant + "|" + load);
				PhaseResult median = median(results);
				(variant.equals(PLAIN) ? this.baseline : this.measured).put(load, median);
				Map<String, Object> row = median.row(variant, "max");
				row.put("load", load + ", max (median of " + results.size() + ")");
				row.put("runs msg/s", String.join(" / ",
						results.stream().map((result) -> String.format("%.0f", result.deliveredRate())).toList()));
				if (variant.equals(NOTIFY) && this.baseline.containsKey(load)) {
					List<PhaseResult> base = runs.get(PLAIN + "|" + load);
					List<Double> pairs = new ArrayList<>();
					List<Double> cpu = new ArrayList<>();
					for (int i = 0; i < Math.min(base.size(), results.size()); i++) {
						pairs.add(results.get(i).deliveredRate() / base.get(i).deliveredRate());
						cpu.add(base.get(i).cpuMicrosPerMessage() / results.get(i).cpuMicrosPerMessage());
					}
					double ratio = medianOf(pairs);
					this.ratios.put(load, ratio);
					this.cpuRatios.put(load, medianOf(cpu));
					row.put("ratio to baseline", ratio);
					row.put("pairwise ratios",
							String.join(" / ", pairs.stream().map((pair) -> String.format("%.2f", pair)).toList()));
				}
				this.bench.report().row(table(), row);
			}
			// a missed target is explained by profiles of both nodes under the same load,
			// recorded apart from the measured runs
			if (this.ratios.containsKey(load) && this.ratios.get(load) < 0.9) {
				for (String variant : nodes.keySet()) {
					NodeProcess node = nodes.get(variant);
					String name = "S1-" + load + "-" + (variant.equals(PLAIN) ? "plain" : "notify");
					if (load.equals("broadcast")) {
						this.bench.profile(name, List.of(node), fleets.get(variant),
								broadcastSends(node, broadcasts, 0), (long) broadcasts * users);
					}
					else {
						this.bench.profile(name, List.of(node), fleets.get(variant),
								userSends(node, users, messages, 0, threads), messages);
					}
				}
			}
		}
	}

	// the same offered load for both: a third of what the baseline delivered at most
	private void fixedRatePhases(Map<String, NodeProcess> nodes, Map<String, ClientFleet> fleets, int users,
			int threads) {
		PhaseResult userReference = this.baseline.getOrDefault("per-user", this.measured.get("per-user"));
		PhaseResult broadcastReference = this.baseline.getOrDefault("broadcast", this.measured.get("broadcast"));
		double userRate = Math.max(100, userReference.deliveredRate() / 3);
		long userCount = (long) (userRate * this.options.latencySeconds());
		double broadcastRate = Math.max(1, broadcastReference.deliveredRate() / 3 / users);
		long broadcastCount = Math.max(1, (long) (broadcastRate * this.options.latencySeconds()));
		for (String variant : nodes.keySet()) {
			NodeProcess node = nodes.get(variant);
			PhaseResult user = this.bench.measure(variant + " per-user, fixed rate", List.of(node), fleets.get(variant),
					userSends(node, users, userCount, userRate, threads), userCount, -1);
			Map<String, Object> row = user.row(variant, String.format("%.0f", userRate));
			row.put("load", "per-user, a third of the baseline's max");
			this.bench.report().row(table(), row);
		}
		for (String variant : nodes.keySet()) {
			NodeProcess node = nodes.get(variant);
			PhaseResult broadcast = this.bench.measure(variant + " broadcast, fixed rate", List.of(node),
					fleets.get(variant), broadcastSends(node, broadcastCount, broadcastRate), broadcastCount * users,
					-1);
			Map<String, Object> row = broadcast.row(variant, String.format("%.0f", broadcastRate * users));
			row.put("load", String.format("broadcast (%.1f/s), a third of the baseline's max", broadcastRate));
			this.bench.report().row(table(), row);
		}
	}

	private String table() {
		return S1 + " (" + this.options.s1Users() + " users)";
	}

	private static double medianOf(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static PhaseResult median(List<PhaseResult> results) {
		List<PhaseResult> sorted = new ArrayList<>(results);
		sorted.sort(Comparator.comparingDouble(PhaseResult::deliveredRate));
		return sorted.get(sorted.size() / 2);
	}

	private IntFunction<List<Send>> userSends(NodeProcess node, int users, long count, double rate, int threads) {
		return (phase) -> List.of(new Send(node, new SendRequest("user", "u", 0, users, count, rate, threads, phase)));
	}

	private IntFunction<List<Send>> broadcastSends(NodeProcess node, long count, double rate) {
		return (phase) -> List.of(new Send(node, new SendRequest("broadcast", "u", 0, 1, count, rate, 1, phase)));
	}

	private void idleSessions(NodeProcess node, String variant, String container) {
		int sessions = this.options.idleSessions();
		// each session is a socket here and one on the node
		long limit = Math.min(openFileLimit("self"), openFileLimit(String.valueOf(node.pid())));
		String note = null;
		if (limit < sessions + 2000L) {
			int reduced = (int) Math.max(100, limit - 2000);
			note = "reduced from " + sessions + " to " + reduced + " sessions: the load generator or the node may open"
					+ " only " + limit + " files (ulimit -n; the suite raises the soft limit to the hard one)";
			sessions = reduced;
		}
		ClassHistogram histogramBefore = ClassHistogram.of(node.pid());
		JsonNode before = this.bench.http().get(node.port(), "/bench/stats?gc=true");
		long rssBefore = node.rssBytes();
		long cpuBefore = node.cpuNanos();
		long start = System.nanoTime();
		int addresses = Math.max(2, (sessions + SESSIONS_PER_ADDRESS - 1) / SESSIONS_PER_ADDRESS);
		try (IdleSessions idle = new IdleSessions(IdleSessions.loopbackAddresses(addresses))) {
			int failed = idle.connect(this.bench.targets("idle", 0, sessions, (i) -> node.port()),
					List.of("/user/queue/notify", "/topic/notify"), 200,
					Duration.ofSeconds(Math.max(300, sessions / 50)), sessions / 100);
			double connectSeconds = (System.nanoTime() - start) / 1e9;
			double connectCpu = (node.cpuNanos() - cpuBefore) / 1e9;
			NodeProcess.sleep(2000);
			JsonNode after = this.bench.http().get(node.port(), "/bench/stats?gc=true");
			ClassHistogram histogramAfter = ClassHistogram.of(node.pid());
			long rssAfter = node.rssBytes();
			int held = after.path("sessions").asInt();
			double heapPerSession = (after.path("heapUsed").asLong() - before.path("heapUsed").asLong()) / 1024.0
					/ Math.max(1, held);
			double rssPerSession = (rssAfter - rssBefore) / 1024.0 / Math.max(1, held);
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("variant", variant);
			row.put("container", container);
			row.put("sessions opened", sessions);
			row.put("source addresses", "127.0.0.1-" + addresses);
			row.put("sessions held (server)", held);
			row.put("connect+subscribe/s", sessions / connectSeconds);
			row.put("server CPU ms/session", connectCpu * 1000 / sessions);
			row.put("heap before MB", before.path("heapUsed").asLong() / 1048576.0);
			row.put("heap after MB", after.path("heapUsed").asLong() / 1048576.0);
			row.put("heap KB/session", heapPerSession);
			row.put("RSS before MB", rssBefore / 1048576.0);
			row.put("RSS after MB", rssAfter / 1048576.0);
			row.put("RSS KB/session", rssPerSession);
			row.put("failed to connect", failed);
			row.put("dropped by server", idle.unexpectedCloses());
			this.bench.report().row(S4, row);
			if (!histogramAfter.isEmpty()) {
				Map<String, Object> growth = new LinkedHashMap<>();
				growth.put("heapGrowthPerSessionByClass", histogramAfter.growthPerSession(histogramBefore, held, 40));
				this.bench.report()
					.profile("S4-heap-per-session-" + container + "-" + (variant.equals(PLAIN) ? "plain" : "notify"),
							growth);
			}
			this.idle.put(container + "/" + variant, row);
			this.bench.log(variant + " on " + container + ": " + held + " idle sessions held, "
					+ String.format("%.1f", heapPerSession) + " KB heap and " + String.format("%.1f", rssPerSession)
					+ " KB RSS per session");
			if (note != null && variant.equals(NOTIFY)) {
				this.bench.report().note(S4, note);
			}
		}
	}

	private static long openFileLimit(String pid) {
		long limit = ProcStats.openFileLimit(pid);
		return (limit > 0) ? limit : Long.MAX_VALUE;
	}

	private void targets() {
		Report report = this.bench.report();
		if (this.options.runs("S1")) {
			for (String load : List.of("broadcast", "per-user")) {
				PhaseResult base = this.baseline.get(load);
				PhaseResult ours = this.measured.get(load);
				String target = ">= 1.0x the plain simple broker's throughput at <= 1.0x its CPU per message";
				if (base == null || ours == null || !this.ratios.containsKey(load)) {
					report.target("S1 " + load, target, "not measured", null);
					continue;
				}
				double ratio = this.ratios.get(load);
				report.target("S1 " + load, target,
						String.format(
								"%.2fx (median of back-to-back pairs; medians %.0f vs %.0f msg/s);"
										+ " server CPU per message %.2fx the baseline's",
								ratio, ours.deliveredRate(), base.deliveredRate(), 1 / this.cpuRatios.get(load)),
						ratio >= 1.0 && this.cpuRatios.get(load) >= 1.0 && ours.complete());
			}
		}
		if (this.options.runs("S4")) {
			for (String container : S4_CONTAINERS) {
				String id = "S4 (" + container + ")";
				Map<String, Object> ours = this.idle.get(container + "/" + NOTIFY);
				if (ours == null) {
					report.target(id, S4_TARGET, "not measured", null);
					continue;
				}
				int held = (Integer) ours.get("sessions held (server)");
				double heap = (Double) ours.get("heap KB/session");
				report.target(id, S4_TARGET, String.format("%,d sessions, %.1f KB heap/session", held, heap),
						held >= 50_000 && heap <= 20);
			}
		}
	}

}
