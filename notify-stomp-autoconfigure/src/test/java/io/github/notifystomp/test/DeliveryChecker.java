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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A Jepsen-style checker for the "nothing lost" invariants of the fault tests. It reads
 * the committed rows back from the store at the end and compares them with what each
 * {@link CheckedClient} received and ACKed:
 * <ul>
 * <li>I1, no phantom: every received {@code notify-id} is a committed row of that
 * client's user, with the same {@code notify-seq}; nothing sent in a rolled back
 * transaction is received or stored.</li>
 * <li>I2, no loss: every committed row of the user eventually reaches the client (live,
 * redelivered, replayed or caught up).</li>
 * <li>I3, bounded duplicates: after dropping repeated ids, the client holds exactly the
 * user's sequence numbers, gap-free; the number of repeats is reported and bounded.</li>
 * <li>ACKs: every row a client ACKed on a connection that did not break is marked
 * delivered, and no row is marked delivered that no client ACKed.</li>
 * </ul>
 */
public final class DeliveryChecker {

	private final JdbcTemplate jdbc;

	private final String table;

	public DeliveryChecker(DataSource dataSource) {
		this(dataSource, "notify_message");
	}

	public DeliveryChecker(DataSource dataSource, String table) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = table;
	}

	/**
	 * Check the invariants, waiting up to the timeout for delivery to complete.
	 * @param clients the clients, one or more per user
	 * @param rolledBack ids sent in transactions that rolled back
	 * @param maxDuplicates the most repeated messages accepted over all clients
	 * @param timeout how long delivery may take to complete
	 * @return the numbers, for the test's log
	 */
	public Report check(Collection<CheckedClient> clients, Collection<String> rolledBack, int maxDuplicates,
			Duration timeout) {
		Set<String> users = clients.stream().map(CheckedClient::userId).collect(Collectors.toSet());
		try {
			Awaitility.await("every committed message reaches every client (I2)")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> missing(clients, rows(users)).isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			Map<String, List<Row>> rows = rows(users);
			fail("I2 violated, messages never reached their clients: " + describe(missing(clients, rows))
					+ "; clients: " + clients);
		}
		Map<String, List<Row>> rows = rows(users);
		int received = 0;
		int duplicates = 0;
		int inversions = 0;
		for (CheckedClient client : clients) {
			List<Row> userRows = rows.getOrDefault(client.userId(), List.of());
			Map<String, Long> committed = new HashMap<>();
			userRows.forEach((row) -> committed.put(row.id(), row.seq()));
			List<CheckedClient.Received> frames = client.received();
			received += frames.size();
			Set<String> seen = new HashSet<>();
			TreeSet<Long> seqs = new TreeSet<>();
			long highest = 0;
			for (CheckedClient.Received frame : frames) {
				assertThat(committed)
					.as("I1: %s received %s, which is no committed row of that user", client.userId(), frame.id())
					.containsKey(frame.id());
				assertThat(frame.seq()).as("I1: notify-seq of %s", frame.id()).isEqualTo(committed.get(frame.id()));
				assertThat(rolledBack).as("I1: a message of a rolled back transaction reached %s", client.userId())
					.doesNotContain(frame.id());
				if (!seen.add(frame.id())) {
					duplicates++;
					continue;
				}
				if (frame.seq() < highest) {
					inversions++;
				}
				highest = Math.max(highest, frame.seq());
				seqs.add(frame.seq());
			}
			// gap-free: the store's sequence numbers of the user, every one of them, once
			Set<Long> expected = new TreeSet<>(committed.values());
			assertThat(seqs).as("I3: %s holds the user's sequence numbers without a gap", client.userId())
				.isEqualTo(expected);
			if (!expected.isEmpty()) {
				assertThat(((TreeSet<Long>) expected).last()).as("the store's seqs of %s are gap-free", client.userId())
					.isEqualTo((long) expected.size());
			}
		}
		assertThat(duplicates).as("I3: repeated messages over all clients").isLessThanOrEqualTo(maxDuplicates);
		if (!rolledBack.isEmpty()) {
			Integer stored = this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM " + this.table + " WHERE id IN ("
							+ String.join(", ", rolledBack.stream().map((id) -> "?").toList()) + ")",
					Integer.class, rolledBack.toArray());
			assertThat(stored).as("I1: rows of rolled back transactions in the store").isZero();
		}
		Map<String, Set<String>> certainAcks = new HashMap<>();
		Map<String, Set<String>> allAcks = new HashMap<>();
		for (CheckedClient client : clients) {
			certainAcks.computeIfAbsent(client.userId(), (key) -> new HashSet<>()).addAll(client.certainAcks());
			allAcks.computeIfAbsent(client.userId(), (key) -> new HashSet<>()).addAll(client.allAcks());
		}
		try {
			Awaitility.await("ACKed rows are marked delivered")
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> undeliveredAcks(certainAcks, rows(users)).isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			fail("ACKed but not marked delivered: " + undeliveredAcks(certainAcks, rows(users)));
		}
		int lostAcks = 0;
		int delivered = 0;
		for (Map.Entry<String, List<Row>> user : rows(users).entrySet()) {
			Set<String> acked = allAcks.getOrDefault(user.getKey(), Set.of());
			for (Row row : user.getValue()) {
				if (row.delivered()) {
					delivered++;
					assertThat(acked)
						.as("row %s of %s is marked delivered but was never ACKed", row.id(), user.getKey())
						.contains(row.id());
				}
				else if (acked.contains(row.id())) {
					lostAcks++;
				}
			}
		}
		int committedRows = rows.values().stream().mapToInt(List::size).sum();
		Report report = new Report(users.size(), clients.size(), committedRows, received, duplicates, inversions,
				delivered, lostAcks);
		System.out.println("DeliveryChecker: " + report);
		return report;
	}

	/**
	 * Return the committed rows of the given users.
	 */
	public Map<String, List<Row>> rows(Set<String> users) {
		Map<String, List<Row>> rows = new LinkedHashMap<>();
		List<String> list = new ArrayList<>(users);
		for (int from = 0; from < list.size(); from += 500) {
			List<String> chunk = list.subList(from, Math.min(list.size(), from + 500));
			this.jdbc.query(
					"SELECT user_id, seq, id, delivered_at FROM " + this.table + " WHERE user_id IN ("
							+ String.join(", ", chunk.stream().map((user) -> "?").toList()) + ") ORDER BY user_id, seq",
					(rs) -> {
						rows.computeIfAbsent(rs.getString(1), (key) -> new ArrayList<>())
							.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getObject(4) != null));
					}, chunk.toArray());
		}
		return rows;
	}

	private static Map<String, List<Long>> missing(Collection<CheckedClient> clients, Map<String, List<Row>> rows) {
		Map<String, List<Long>> missing = new LinkedHashMap<>();
		for (CheckedClient client : clients) {
			Set<String> ids = client.receivedIds();
			for (Row row : rows.getOrDefault(client.userId(), List.of())) {
				if (!ids.contains(row.id())) {
					missing.computeIfAbsent(client.userId(), (key) -> new ArrayList<>()).add(row.seq());
				}
			}
		}
		return missing;
	}

	private static Map<String, List<String>> undeliveredAcks(Map<String, Set<String>> acks,
			Map<String, List<Row>> rows) {
		Map<String, List<String>> undelivered = new LinkedHashMap<>();
		rows.forEach((user, userRows) -> {
			Set<String> acked = acks.getOrDefault(user, Set.of());
			for (Row row : userRows) {
				if (acked.contains(row.id()) && !row.delivered()) {
					undelivered.computeIfAbsent(user, (key) -> new ArrayList<>()).add(row.id());
				}
			}
		});
		return undelivered;
	}

	private static String describe(Map<String, List<Long>> missing) {
		StringBuilder text = new StringBuilder();
		missing.forEach((user, seqs) -> text.append(user)
			.append(": ")
			.append(seqs.size())
			.append(" missing, seqs ")
			.append(seqs.subList(0, Math.min(10, seqs.size())))
			.append("; "));
		return text.toString();
	}

	/**
	 * A committed row.
	 *
	 * @param userId the user
	 * @param seq the sequence number
	 * @param id the notify-id
	 * @param delivered whether it is marked delivered
	 */
	public record Row(String userId, long seq, String id, boolean delivered) {

	}

	/**
	 * What a check found.
	 *
	 * @param users users checked
	 * @param clients clients checked
	 * @param committed committed rows of those users
	 * @param received MESSAGE frames received, repeats included
	 * @param duplicates repeated frames (same notify-id again on one client)
	 * @param inversions first arrivals with a lower seq than an earlier first arrival
	 * (live order across senders is not promised)
	 * @param delivered rows marked delivered
	 * @param lostAcks rows ACKed on a connection that broke right after, not marked
	 * delivered
	 */
	public record Report(int users, int clients, int committed, int received, int duplicates, int inversions,
			int delivered, int lostAcks) {

	}

}
