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

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.notifystomp.benchmarks.client.ClientFleet;
import io.github.notifystomp.benchmarks.common.BenchController.SendRequest;
import io.github.notifystomp.benchmarks.runner.Bench.NodeSpec;
import io.github.notifystomp.benchmarks.runner.Bench.PhaseResult;
import io.github.notifystomp.benchmarks.runner.Bench.Send;

/**
 * S5, stored messages: one node with the JDBC store (every send stores the message and
 * assigns the user's next sequence number before it is delivered), on PostgreSQL (a fresh
 * schema per run) and on in-memory H2, with several sender threads. The
 * {@code send calls/s} column is the stored sends per second.
 */
final class StoredMessagesScenario {

	static final String TABLE = "S5 stored messages: one node, JDBC store, sender threads on the node";

	// group commit first, then the same database with one transaction per message
	private static final List<Variant> VARIANTS = List.of(new Variant("postgresql", 100), new Variant("postgresql", 1),
			new Variant("h2", 100));

	private final Bench bench;

	private final Options options;

	private final Map<Variant, PhaseResult> results = new HashMap<>();

	StoredMessagesScenario(Bench bench) {
		this.bench = bench;
		this.options = bench.options();
	}

	static void row(Bench bench, String store, PhaseResult result) {
		Map<String, Object> row = result.row("store: " + store, "max");
		row.remove("variant");
		Map<String, Object> ordered = new LinkedHashMap<>();
		ordered.put("store", store);
		ordered.put("stored sends/s", result.sendRate());
		ordered.putAll(row);
		ordered.remove("send calls/s");
		bench.report().row(TABLE + " (" + bench.options().s5SenderThreads() + " threads)", ordered);
	}

	void run() {
		for (Variant variant : VARIANTS) {
			String schema = null;
			List<String> arguments = new ArrayList<>(this.bench.commonArguments(true));
			arguments.add("--notify.stomp.store.type=jdbc");
			arguments.add("--bench.transient-messages=false");
			arguments.add("--notify.stomp.store.jdbc.max-batch-size=" + variant.maxBatchSize());
			if (variant.database().equals("postgresql")) {
				String problem = this.bench.services().postgresProblem();
				if (problem != null) {
					this.bench.report().problem("S5 PostgreSQL not measured: " + problem);
					this.bench.report().note(TABLE, "PostgreSQL not measured: " + problem);
					continue;
				}
				schema = "nsbench_" + this.bench.runId().replace('-', '_') + "_" + variant.maxBatchSize();
				try {
					this.bench.services().createSchema(schema);
				}
				catch (SQLException ex) {
					this.bench.report().problem("S5 PostgreSQL schema " + schema + " not created: " + ex.getMessage());
					continue;
				}
				String url = this.options.postgresUrl();
				arguments.add(
						"--spring.datasource.url=" + url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
				arguments.add("--spring.datasource.username=" + this.options.postgresUser());
				arguments.add("--spring.datasource.password=" + this.options.postgresPassword());
				// a server database gets the store's tables only when asked for
				arguments.add("--notify.stomp.store.jdbc.initialization-mode=always");
			}
			else {
				arguments.add("--spring.datasource.url=jdbc:h2:mem:nsbench;DB_CLOSE_DELAY=-1");
			}
			List<NodeProcess> nodes = null;
			try {
				nodes = this.bench.start(List.of(new NodeSpec("s5-" + variant.database() + "-" + variant.maxBatchSize(),
						"server", List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC"), arguments)));
				this.results.put(variant, measure(nodes, variant));
			}
			catch (RuntimeException ex) {
				this.bench.report().problem("S5 " + variant.label() + " failed: " + ex.getMessage());
				this.bench.log("PROBLEM " + ex);
			}
			finally {
				if (nodes != null) {
					this.bench.stop(nodes);
				}
				if (schema != null) {
					this.bench.services().dropSchema(schema);
				}
			}
		}
		target();
	}

	private void target() {
		String target = ">= 5x the one-commit-per-message rate on PostgreSQL, same run";
		PhaseResult grouped = this.results.get(VARIANTS.get(0));
		PhaseResult alone = this.results.get(VARIANTS.get(1));
		if (grouped == null || alone == null) {
			this.bench.report().target("S5 group commit", target, "not measured", null);
			return;
		}
		double ratio = grouped.sendRate() / alone.sendRate();
		this.bench.report()
			.target("S5 group commit", target,
					String.format("%.2fx (%.0f vs %.0f stored sends/s; server CPU µs/msg %.0f vs %.0f)", ratio,
							grouped.sendRate(), alone.sendRate(), grouped.cpuMicrosPerMessage(),
							alone.cpuMicrosPerMessage()),
					ratio >= 5 && grouped.complete());
	}

	private PhaseResult measure(List<NodeProcess> nodes, Variant variant) {
		String store = variant.label();
		NodeProcess node = nodes.get(0);
		int users = this.options.s5Users();
		int threads = this.options.s5SenderThreads();
		try (ClientFleet fleet = new ClientFleet()) {
			fleet.connect(this.bench.targets("u", 0, users, (i) -> node.port()), List.of("/user/queue/notify"),
					List.of(), 100, Duration.ofSeconds(60));
			this.bench.probe(fleet, node, "u", users);
			long messages = this.options.s5Messages();
			// the measured burst, at its size: rounds of 2,000 left the group commit's
			// measured phase to a JIT still compiling on most of a core
			String warmUp = this.bench.warmUp(store + " warm-up", nodes, fleet,
					(phase) -> List
						.of(new Send(node, new SendRequest("user", "u", 0, users, messages, 0, threads, phase))),
					messages, this.options.quick() ? 1 : 2, this.options.quick() ? 10 : 90);
			this.bench.report().note(TABLE + " (" + threads + " threads)", store + " warm-up: " + warmUp);
			PhaseResult result = this.bench.measure("stored per-user, max", nodes, fleet,
					(phase) -> List
						.of(new Send(node, new SendRequest("user", "u", 0, users, messages, 0, threads, phase))),
					messages, -1);
			row(this.bench, store, result);
			if (variant.equals(VARIANTS.get(0))) {
				// where the group commit spends its time, recorded apart from
				// the measured run
				this.bench.profile("S5-group-commit", nodes, fleet,
						(phase) -> List
							.of(new Send(node, new SendRequest("user", "u", 0, users, messages, 0, threads, phase))),
						messages);
			}
			return result;
		}
	}

	/**
	 * A database and a group commit batch size.
	 *
	 * @param database the database
	 * @param maxBatchSize {@code notify.stomp.store.jdbc.max-batch-size}
	 */
	private record Variant(String database, int maxBatchSize) {

		String label() {
			return this.database + ((this.maxBatchSize > 1) ? ", group commit" : ", one commit per message");
		}

	}

}
