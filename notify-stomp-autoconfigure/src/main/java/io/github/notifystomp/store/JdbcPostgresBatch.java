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

package io.github.notifystomp.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a batch of messages on PostgreSQL in one statement: the rows go as five arrays
 * (one per column), so the statement's text is the same for every batch and PostgreSQL
 * parses and plans it once per connection, instead of once per batch for a statement with
 * six parameters per row. The statement takes the users' next sequence numbers (locking
 * their counters in the order of the user ids, as every batch does) and inserts the
 * messages with them. It runs in a transaction of the store's own, never as a statement
 * that commits itself: one sent just before the database hangs would commit when the
 * database answers again, after its senders were told that nothing was stored.
 */
final class JdbcPostgresBatch {

	// the timestamp input PostgreSQL reads whatever its DateStyle
	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

	private final String sql;

	JdbcPostgresBatch(String messageTable, String seqTable) {
		// the data-modifying WITH clauses run exactly once whatever the last SELECT reads
		this.sql = "WITH b AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[],"
				+ " ?::timestamp[]) WITH ORDINALITY AS b (user_id, id, type, payload, created_at, n)),"
				+ " c AS (SELECT user_id, count(*) AS k FROM b GROUP BY user_id), s AS (INSERT INTO " + seqTable
				+ " (user_id, last_seq) SELECT user_id, k FROM c ORDER BY user_id"
				+ " ON CONFLICT (user_id) DO UPDATE SET last_seq = " + seqTable + ".last_seq + EXCLUDED.last_seq"
				+ " RETURNING user_id, last_seq), m AS (INSERT INTO " + messageTable
				+ " (user_id, seq, id, type, payload, created_at)"
				+ " SELECT b.user_id, s.last_seq - c.k + row_number() OVER (PARTITION BY b.user_id ORDER BY b.n),"
				+ " b.id, b.type, b.payload, b.created_at"
				+ " FROM b JOIN c ON c.user_id = b.user_id JOIN s ON s.user_id = b.user_id)"
				+ " SELECT user_id, last_seq FROM s";
	}

	/**
	 * Store the rows with one statement in the connection's current transaction.
	 * @param connection a connection in a transaction of the store's own
	 * @return the stored messages, in the order of the rows
	 * @throws SQLException if the database refused the rows; none is stored
	 */
	List<StoredMessage> insert(Connection connection, List<JdbcRow> rows) throws SQLException {
		Map<String, Long> last = new HashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(this.sql)) {
			bind(statement, rows);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					last.put(rs.getString(1), rs.getLong(2));
				}
			}
		}
		return stored(rows, last);
	}

	private static void bind(PreparedStatement statement, List<JdbcRow> rows) throws SQLException {
		int size = rows.size();
		String[] users = new String[size];
		String[] ids = new String[size];
		String[] types = new String[size];
		String[] payloads = new String[size];
		String[] times = new String[size];
		for (int i = 0; i < size; i++) {
			JdbcRow row = rows.get(i);
			users[i] = row.userId();
			ids[i] = row.id();
			types[i] = row.type();
			payloads[i] = row.payload();
			times[i] = TIMESTAMP.format(row.createdAtUtc());
		}
		statement.setObject(1, users);
		statement.setObject(2, ids);
		statement.setObject(3, types);
		statement.setObject(4, payloads);
		statement.setObject(5, times);
	}

	// each user's rows got the numbers after the counter's old value, in the rows' order
	private static List<StoredMessage> stored(List<JdbcRow> rows, Map<String, Long> last) {
		Map<String, Integer> counts = new HashMap<>();
		rows.forEach((row) -> counts.merge(row.userId(), 1, Integer::sum));
		Map<String, Long> next = new HashMap<>();
		counts.forEach((userId, count) -> next.put(userId, last.get(userId) - count + 1));
		List<StoredMessage> stored = new ArrayList<>(rows.size());
		for (JdbcRow row : rows) {
			stored.add(row.stored(next.merge(row.userId(), 1L, Long::sum) - 1));
		}
		return stored;
	}

}
