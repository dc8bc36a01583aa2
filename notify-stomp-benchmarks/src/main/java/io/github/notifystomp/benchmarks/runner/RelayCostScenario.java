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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.notifystomp.benchmarks.client.ClientFleet;
import io.github.notifystomp.benchmarks.common.BenchController.SendRequest;
import io.github.notifystomp.benchmarks.runner.Bench.NodeSpec;
import io.github.notifystomp.benchmarks.runner.Bench.PhaseResult;
import io.github.notifystomp.benchmarks.runner.Bench.Send;

/**
 * S3, relay cost as the cluster grows: 1, 2, 4 and 8 notify-stomp nodes, the same users
 * and the same sends per node at every size (a cluster that grows with its users), for
 * targeted and for broadcast routing. Reads the relay counters
 * ({@code notify.stomp.relay.received/published}) of every node through Actuator before
 * and after each round.
 */
final class RelayCostScenario {

	static final String TABLE = "S3 relay cost as the cluster grows (each node holds the same users and sends the same"
			+ " number of messages, to users on all nodes)";

	private final Bench bench;

	private final Options options;

	private final Map<String, Map<Integer, Double>> perNode = new HashMap<>();

	RelayCostScenario(Bench bench) {
		this.bench = bench;
		this.options = bench.options();
	}

	void run() {
		if (this.bench.services().redisProblem() != null) {
			this.bench.report().problem("S3 not measured: " + this.bench.services().redisProblem());
			targets();
			return;
		}
		for (String routing : List.of("targeted", "broadcast")) {
			List<NodeProcess> nodes = new ArrayList<>();
			try (ClientFleet fleet = new ClientFleet()) {
				for (int size : this.options.s3ClusterSizes()) {
					grow(nodes, fleet, size, routing);
					round(nodes, fleet, routing);
				}
			}
			catch (RuntimeException ex) {
				this.bench.report().problem("S3 " + routing + " failed: " + ex.getMessage());
				this.bench.log("PROBLEM " + ex);
			}
			finally {
				this.bench.stop(nodes);
			}
		}
		this.bench.report()
			.note(TABLE, "nodes run with -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 to start 8 JVMs quickly on"
					+ " 2 cores; this scenario counts relay messages, not speed");
		targets();
	}

	private void grow(List<NodeProcess> nodes, ClientFleet fleet, int size, String routing) {
		int first = nodes.size();
		List<NodeSpec> specs = new ArrayList<>();
		for (int i = first + 1; i <= size; i++) {
			List<String> arguments = new ArrayList<>(this.bench.commonArguments(false));
			arguments.add("--notify.stomp.store.type=none");
			arguments.addAll(this.bench.clusterArguments(routing.charAt(0) + "n" + i, routing));
			specs.add(new NodeSpec("s3-" + routing + "-" + i, "server",
					List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), arguments));
		}
		List<NodeProcess> added = this.bench.start(specs);
		nodes.addAll(added);
		int users = this.options.s3UsersPerNode();
		List<ClientFleet.Target> targets = new ArrayList<>();
		for (int n = first; n < size; n++) {
			int port = nodes.get(n).port();
			targets.addAll(this.bench.targets("r", n * users, (n + 1) * users, (i) -> port));
		}
		fleet.connect(targets, List.of("/user/queue/notify"), List.of(), 50, Duration.ofSeconds(60));
		this.bench.probe(fleet, nodes.get(0), "r", size * users);
	}

	private void round(List<NodeProcess> nodes, ClientFleet fleet, String routing) {
		int size = nodes.size();
		int users = size * this.options.s3UsersPerNode();
		long perNode = this.options.s3MessagesPerNode();
		double[] receivedBefore = counters(nodes, "notify.stomp.relay.received");
		double[] publishedBefore = counters(nodes, "notify.stomp.relay.published");
		PhaseResult result = this.bench.measure(routing + ", " + size + " node(s)", nodes, fleet,
				(phase) -> nodes.stream()
					.map((node) -> new Send(node, new SendRequest("user", "r", 0, users, perNode, 0, 1, phase)))
					.toList(),
				perNode * size, this.bench.services().redisPid());
		double[] receivedAfter = settled(nodes);
		double[] publishedAfter = counters(nodes, "notify.stomp.relay.published");
		double received = 0;
		double maxReceived = 0;
		double published = 0;
		for (int i = 0; i < size; i++) {
			received += receivedAfter[i] - receivedBefore[i];
			maxReceived = Math.max(maxReceived, receivedAfter[i] - receivedBefore[i]);
			published += publishedAfter[i] - publishedBefore[i];
		}
		long sends = perNode * size;
		double meanReceived = received / size;
		this.perNode.computeIfAbsent(routing, (key) -> new HashMap<>()).put(size, meanReceived / perNode);
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("routing", routing);
		row.put("nodes", size);
		row.put("users", users);
		row.put("sends (all nodes)", sends);
		row.put("relay published", (long) published);
		row.put("relay received per node (mean)", meanReceived);
		row.put("relay received per node (max)", (long) maxReceived);
		row.put("received per node per own send", meanReceived / perNode);
		row.put("received per node per send", meanReceived / sends);
		row.put("delivered", result.delivered() + "/" + result.expected());
		this.bench.report().row(TABLE, row);
	}

	// relay messages may still be in flight after the last delivery was counted
	private double[] settled(List<NodeProcess> nodes) {
		double[] last = counters(nodes, "notify.stomp.relay.received");
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			NodeProcess.sleep(300);
			double[] now = counters(nodes, "notify.stomp.relay.received");
			if (Arrays.equals(now, last)) {
				return now;
			}
			last = now;
		}
		return last;
	}

	private double[] counters(List<NodeProcess> nodes, String name) {
		double[] values = new double[nodes.size()];
		for (int i = 0; i < nodes.size(); i++) {
			values[i] = this.bench.http().counter(nodes.get(i).port(), name);
		}
		return values;
	}

	private void targets() {
		Report report = this.bench.report();
		Map<Integer, Double> targeted = this.perNode.get("targeted");
		Map<Integer, Double> broadcast = this.perNode.get("broadcast");
		String flat = "targeted: relay messages received per node stay flat as nodes grow (at most one per message the"
				+ " node sends; the ideal is (N-1)/N)";
		if (targeted == null || !targeted.containsKey(8)) {
			report.target("S3 flat", flat, "not measured", null);
		}
		else {
			StringBuilder measured = new StringBuilder("per own send:");
			boolean pass = true;
			for (Map.Entry<Integer, Double> entry : new TreeMap<>(targeted).entrySet()) {
				measured.append(String.format(" %d nodes %.3f;", entry.getKey(), entry.getValue()));
				double ideal = (entry.getKey() - 1.0) / entry.getKey();
				pass &= entry.getValue() <= 1.0 && entry.getValue() <= ideal * 1.05 + 0.01;
			}
			report.target("S3 flat", flat, measured.toString(), pass);
		}
		String ratio = "with 8 nodes >= 4x less relay traffic per node than broadcast routing";
		if (targeted == null || broadcast == null || !targeted.containsKey(8) || !broadcast.containsKey(8)) {
			report.target("S3 vs broadcast", ratio, "not measured", null);
		}
		else {
			double factor = broadcast.get(8) / targeted.get(8);
			report.target("S3 vs broadcast", ratio, String.format("%.1fx less (%.3f vs %.3f received per own send)",
					factor, targeted.get(8), broadcast.get(8)), factor >= 4);
		}
	}

}
