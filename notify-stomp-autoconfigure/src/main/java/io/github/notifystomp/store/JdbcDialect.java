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

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What differs between the databases the JDBC store supports: the schema script, how a
 * user's next sequence number is taken, and how a batch of expired messages is deleted.
 * Each way of taking a sequence number locks the user's counter row until the transaction
 * ends and never aborts a transaction because the row is new.
 */
enum JdbcDialect {

	/**
	 * PostgreSQL: a single upsert that creates or increments the counter; a concurrent
	 * first save waits on the other's insert instead of failing.
	 */
	POSTGRESQL("postgresql") {

		@Override
		long nextSeq(JdbcTemplate jdbc, String seqTable, String userId) {
			Long seq = jdbc.queryForObject("INSERT INTO " + seqTable + " (user_id, last_seq) VALUES (?, 1)"
					+ " ON CONFLICT (user_id) DO UPDATE SET last_seq = " + seqTable
					+ ".last_seq + 1 RETURNING last_seq", Long.class, userId);
			return seq;
		}

		@Override
		Map<String, Long> reserveSeqs(JdbcTemplate jdbc, String seqTable, SortedMap<String, Integer> counts) {
			Map<String, Long> last = new HashMap<>();
			jdbc.query(
					"INSERT INTO " + seqTable + " (user_id, last_seq) VALUES " + rows(counts.size())
							+ " ON CONFLICT (user_id) DO UPDATE SET last_seq = " + seqTable
							+ ".last_seq + EXCLUDED.last_seq RETURNING user_id, last_seq",
					(RowCallbackHandler) (rs) -> last.put(rs.getString(1), rs.getLong(2)), pairs(counts));
			return last;
		}

		@Override
		String deleteBatch(String messageTable) {
			// SKIP LOCKED: cleaners on several nodes split
			// the work instead of waiting on each other
			return "DELETE FROM " + messageTable + " WHERE (user_id, seq) IN (SELECT user_id, seq FROM " + messageTable
					+ " WHERE created_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)";
		}

	},

	/**
	 * MariaDB and MySQL (InnoDB): an upsert that takes an exclusive lock on the counter
	 * row, then a read of the value under that lock.
	 */
	MARIADB("mariadb") {

		@Override
		long nextSeq(JdbcTemplate jdbc, String seqTable, String userId) {
			jdbc.update("INSERT INTO " + seqTable + " (user_id, last_seq) VALUES (?, 1)"
					+ " ON DUPLICATE KEY UPDATE last_seq = last_seq + 1", userId);
			return readLocked(jdbc, seqTable, userId);
		}

		@Override
		Map<String, Long> reserveSeqs(JdbcTemplate jdbc, String seqTable, SortedMap<String, Integer> counts) {
			jdbc.update("INSERT INTO " + seqTable + " (user_id, last_seq) VALUES " + rows(counts.size())
					+ " ON DUPLICATE KEY UPDATE last_seq = last_seq + VALUES(last_seq)", pairs(counts));
			Map<String, Long> last = new HashMap<>();
			jdbc.query(
					"SELECT user_id, last_seq FROM " + seqTable + " WHERE user_id IN ("
							+ String.join(", ", Collections.nCopies(counts.size(), "?")) + ") FOR UPDATE",
					(RowCallbackHandler) (rs) -> last.put(rs.getString(1), rs.getLong(2)), counts.keySet().toArray());
			return last;
		}

		@Override
		String deleteBatch(String messageTable) {
			// in index order, so cleaners on several nodes lock rows in the same order
			return "DELETE FROM " + messageTable + " WHERE created_at < ? ORDER BY created_at LIMIT ?";
		}

	},

	/**
	 * H2: increment, or create the counter when there is none; a failed statement does
	 * not abort an H2 transaction, so a concurrent first save simply increments.
	 */
	H2("h2") {

		@Override
		long nextSeq(JdbcTemplate jdbc, String seqTable, String userId) {
			String increment = "UPDATE " + seqTable + " SET last_seq = last_seq + 1 WHERE user_id = ?";
			if (jdbc.update(increment, userId) == 0) {
				try {
					jdbc.update("INSERT INTO " + seqTable + " (user_id, last_seq) VALUES (?, 1)", userId);
					return 1;
				}
				catch (DuplicateKeyException ex) {
					jdbc.update(increment, userId);
				}
			}
			return readLocked(jdbc, seqTable, userId);
		}

		@Override
		String deleteBatch(String messageTable) {
			return "DELETE FROM " + messageTable + " WHERE created_at < ? FETCH FIRST ? ROWS ONLY";
		}

	};

	private final String scriptName;

	JdbcDialect(String scriptName) {
		this.scriptName = scriptName;
	}

	/**
	 * Take the user's next sequence number in the current transaction, creating the
	 * counter when the user has none. The counter row stays locked until the transaction
	 * ends.
	 */
	abstract long nextSeq(JdbcTemplate jdbc, String seqTable, String userId);

	/**
	 * Take the next sequence numbers of several users in the current transaction, as
	 * {@link #nextSeq} does for one: the counters are locked in the order of the user
	 * ids, so that transactions that reserve for the same users never deadlock.
	 * @param counts how many numbers each user needs, by user id
	 * @return the last number reserved per user; the first is that minus the count plus
	 * one
	 */
	Map<String, Long> reserveSeqs(JdbcTemplate jdbc, String seqTable, SortedMap<String, Integer> counts) {
		Map<String, Long> last = new HashMap<>();
		counts.forEach((userId, count) -> {
			long seq = 0;
			for (int i = 0; i < count; i++) {
				seq = nextSeq(jdbc, seqTable, userId);
			}
			last.put(userId, seq);
		});
		return last;
	}

	// (?, ?) per user, in one multi-row VALUES list
	private static String rows(int count) {
		return String.join(", ", Collections.nCopies(count, "(?, ?)"));
	}

	private static Object[] pairs(SortedMap<String, Integer> counts) {
		List<Object> args = new ArrayList<>(counts.size() * 2);
		counts.forEach((userId, count) -> {
			args.add(userId);
			args.add(count);
		});
		return args.toArray();
	}

	/**
	 * Return a statement that deletes at most {@code ?} (second parameter) messages
	 * created before {@code ?} (first parameter).
	 */
	abstract String deleteBatch(String messageTable);

	/**
	 * Return the class path location of the schema script.
	 */
	String script() {
		return "io/github/notifystomp/store/jdbc/schema-" + this.scriptName + ".sql";
	}

	/**
	 * Return the dialect for a JDBC database product name.
	 * @return the dialect, or {@code null} if the database is not supported
	 */
	static JdbcDialect forProductName(String productName) {
		String name = (productName != null) ? productName.toLowerCase(Locale.ROOT) : "";
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mariadb") || name.contains("mysql")) {
			return MARIADB;
		}
		if (name.equals("h2")) {
			return H2;
		}
		return null;
	}

	private static long readLocked(JdbcTemplate jdbc, String seqTable, String userId) {
		Long seq = jdbc.queryForObject("SELECT last_seq FROM " + seqTable + " WHERE user_id = ? FOR UPDATE", Long.class,
				userId);
		return seq;
	}

}
