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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.github.notifystomp.benchmarks.client.ClientFleet;
import io.github.notifystomp.benchmarks.common.BenchController.SendRequest;
import io.github.notifystomp.benchmarks.runner.Bench.NodeSpec;
import io.github.notifystomp.benchmarks.runner.Bench.PhaseResult;
import io.github.notifystomp.benchmarks.runner.Bench.Send;

/**
 * S2, cross-node per-user messages: three nodes in separate JVMs, users spread evenly
 * over them, every node sending to every user in turn (so two of three messages cross
 * nodes). notify-stomp relays through Redis with targeted routing; the baseline is
 * Spring's STOMP broker relay to RabbitMQ with user-registry and user-destination
 * broadcast.
 */
final class CrossNodeScenario {

	static final String TABLE = "S2 cross-node per-user messages: 3 nodes, senders on every node";

	private static final String RELAY = "Spring broker relay to RabbitMQ (baseline)";

	private static final String NOTIFY = "notify-stomp, Redis, targeted";

	private static final int NODES = 3;

	private final Bench bench;

	private final Options options;

	private final Map<String, PhaseResult> max = new HashMap<>();

	private int usersPerNode;

	private final Map<String, PhaseResult> fixed = new HashMap<>();

	CrossNodeScenario(Bench bench) {
		this.bench = bench;
		this.options = bench.options();
	}

	void run() {
		int limit = this.bench.services().rabbitSocketLimit();
		int perNode = this.options.s2UsersPerNode();
		if (this.bench.services().rabbitProblem() == null && !this.options.skipBaselines() && limit > 0
				&& NODES * perNode + 50 > limit) {
			// both variants get the same users, so the relay must fit
			perNode = Math.max(10, (limit - 50) / NODES);
			this.bench.report()
				.note(TABLE + " (" + NODES * perNode + " users)", "users reduced to " + NODES * perNode
						+ ": RabbitMQ accepts only " + limit
						+ " connections here (its open-file limit), and the broker relay opens one per session");
		}
		this.usersPerNode = perNode;
		for (String variant : List.of(RELAY, NOTIFY)) {
			boolean relay = variant.equals(RELAY);
			if (relay && this.options.skipBaselines()) {
				continue;
			}
			String missing = relay ? this.bench.services().rabbitProblem() : this.bench.services().redisProblem();
			if (missing != null) {
				this.bench.report().problem("S2 " + variant + " not measured: " + missing);
				this.bench.report().note(TABLE, variant + ": not measured: " + missing);
				continue;
			}
			List<NodeSpec> specs = new ArrayList<>();
			for (int i = 1; i <= NODES; i++) {
				List<String> arguments = new ArrayList<>(this.bench.commonArguments(false));
				if (relay) {
					arguments.add("--bench.relay.port=" + this.options.rabbitStompPort());
					arguments.add("--bench.relay.prefix=" + this.bench.keyPrefix());
				}
				else {
					arguments.add("--notify.stomp.store.type=none");
					arguments.addAll(this.bench.clusterArguments("n" + i, "targeted"));
				}
				specs.add(new NodeSpec((relay ? "s2-relay-" : "s2-notify-") + i, relay ? "relay" : "server",
						List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC"), arguments));
			}
			List<NodeProcess> nodes;
			try {
				nodes = this.bench.start(specs);
			}
			catch (RuntimeException ex) {
				this.bench.report().problem("S2 " + variant + " nodes did not start: " + ex.getMessage());
				continue;
			}
			try {
				measure(variant, nodes, relay);
			}
			catch (RuntimeException ex) {
				this.bench.report().problem("S2 " + variant + " failed: " + ex.getMessage());
				this.bench.log("PROBLEM " + ex);
			}
			finally {
				this.bench.stop(nodes);
			}
		}
		targets();
	}

	private void measure(String variant, List<NodeProcess> nodes, boolean relay) {
		int users = NODES * this.usersPerNode;
		long brokerPid = relay ? this.bench.services().rabbitPid() : this.bench.services().redisPid();
		try (ClientFleet fleet = new ClientFleet()) {
			fleet.connect(this.bench.targets("c", 0, users, (i) -> nodes.get(i % NODES).port()),
					List.of(relay ? "/user/topic/notify" : "/user/queue/notify"), List.of(), 100,
					Duration.ofSeconds(120));
			awaitKnownUsers(nodes, users);
			this.bench.log(variant + ": " + users + " clients connected, every node knows them");
			this.bench.probe(fleet, nodes.get(0), "c", users);
			int threads = this.options.senderThreads();
			long perNode = this.options.s2MessagesPerNode();
			// the measured burst, at its size: a smaller one leaves the paths
			// of deep queues and full batches to the first measured phase, and
			// did not settle within 60 s
			String warmUp = this.bench.warmUp(variant + " warm-up", nodes, fleet,
					sends(nodes, users, perNode, 0, threads), perNode * NODES, this.options.quick() ? 1 : 3,
					this.options.quick() ? 15 : 120);
			this.bench.report().note(TABLE + " (" + users + " users)", variant + " warm-up: " + warmUp);
			PhaseResult top = this.bench.measure(variant + " per-user, max", nodes, fleet,
					sends(nodes, users, perNode, 0, threads), perNode * NODES, brokerPid);
			this.max.put(variant, top);
			Map<String, Object> topRow = top.row(variant, "max");
			topRow.put("load", "per-user, max");
			this.bench.report().row(TABLE + " (" + users + " users)", topRow);
			double rate = (double) this.options.s2TargetRate() / NODES;
			// shorter than in S1: a baseline that falls behind has to drain the
			// whole backlog
			long count = (long) (rate * Math.min(3, this.options.latencySeconds()));
			PhaseResult atRate = this.bench.measure(variant + " per-user, fixed rate", nodes, fleet,
					sends(nodes, users, count, rate, threads), count * NODES, brokerPid);
			this.fixed.put(variant, atRate);
			Map<String, Object> rateRow = atRate.row(variant, String.valueOf(this.options.s2TargetRate()));
			rateRow.put("load", "per-user, fixed rate (the target's)");
			this.bench.report().row(TABLE + " (" + users + " users)", rateRow);
			// a missed target is explained by a profile of the same load, recorded apart
			if (!relay && !meetsTarget(top, atRate)) {
				this.bench.profile("S2-notify", nodes, fleet, sends(nodes, users, perNode / 4, 0, threads),
						perNode / 4 * NODES);
			}
		}
	}

	private boolean meetsTarget(PhaseResult top, PhaseResult atRate) {
		double offered = this.options.s2TargetRate();
		boolean keptUp = atRate.complete() && atRate.sendRate() >= 0.97 * offered;
		return top.deliveredRate() >= offered && keptUp && atRate.p99() < 25;
	}

	private static IntFunction<List<Send>> sends(List<NodeProcess> nodes, int users, long perNode, double rate,
			int threads) {
		return (phase) -> nodes.stream()
			.map((node) -> new Send(node, new SendRequest("user", "c", 0, users, perNode, rate, threads, phase)))
			.toList();
	}

	// Spring's multi-server registry learns other nodes' users from a broadcast every
	// 10 s; Redis presence is immediate
	private void awaitKnownUsers(List<NodeProcess> nodes, int users) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (NodeProcess node : nodes) {
			while (this.bench.http().get(node.port(), "/bench/stats").path("knownUsers").asLong() < users) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("node " + node.name() + " does not know all " + users + " users");
				}
				NodeProcess.sleep(200);
			}
		}
	}

	private void targets() {
		Report report = this.bench.report();
		PhaseResult top = this.max.get(NOTIFY);
		PhaseResult atRate = this.fixed.get(NOTIFY);
		String target = ">= 20,000 msg/s delivered across nodes with p99 < 25 ms";
		if (top == null || atRate == null) {
			report.target("S2 throughput", target, "not measured", null);
		}
		else {
			double offered = this.options.s2TargetRate();
			report.target("S2 throughput", target, String.format(
					"max %.0f msg/s; at %.0f msg/s offered: %d/%d delivered, sends %.0f/s, p99 %.2f ms, p99.9 %.2f ms",
					top.deliveredRate(), offered, atRate.delivered(), atRate.expected(), atRate.sendRate(),
					atRate.p99(), atRate.p999()), meetsTarget(top, atRate));
		}
		PhaseResult relay = this.max.get(RELAY);
		if (top == null || relay == null) {
			report.target("S2 vs RabbitMQ relay", "ahead of Spring's broker relay to RabbitMQ", "not measured", null);
		}
		else {
			PhaseResult relayFixed = this.fixed.get(RELAY);
			report.target("S2 vs RabbitMQ relay", "ahead of Spring's broker relay to RabbitMQ",
					String.format("max %.2fx (%.0f vs %.0f msg/s); p99 at fixed rate %.2f vs %.2f ms",
							top.deliveredRate() / relay.deliveredRate(), top.deliveredRate(), relay.deliveredRate(),
							(atRate != null) ? atRate.p99() : Double.NaN,
							(relayFixed != null) ? relayFixed.p99() : Double.NaN),
					top.deliveredRate() > relay.deliveredRate());
		}
	}

}
