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

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link NotifyStore} in a relational database (PostgreSQL, MariaDB, MySQL or H2),
 * shared by every node that uses the same database.
 * <p>
 * Each user has a counter row; a save increments it and inserts the message in one
 * transaction, and the counter row stays locked until that transaction ends. So sequence
 * numbers are strictly increasing per user without duplicates across nodes, a rolled back
 * save leaves no gap, and a reader never sees a sequence number before every smaller one
 * of the same user is committed. A save joins the caller's transaction when that
 * transaction holds a connection of the same {@link DataSource} (as with
 * {@code DataSourceTransactionManager}, {@code JdbcTransactionManager} or
 * {@code JpaTransactionManager}); otherwise it runs in a transaction of its own.
 * <p>
 * Each call is bounded in time: it waits at most the store's timeout for a database
 * connection, its transaction and statements time out after the same time, and each read
 * of the connection waits no longer (JDBC's network timeout), so a database that refuses
 * connections or hangs fails the call with a {@link StoreUnavailableException} instead of
 * holding the caller for the pool's connection timeout or forever. A save that fails this
 * way is rolled back by the database; only one that times out while committing may still
 * be stored.
 * <p>
 * The tables are created from a script per database in
 * {@code io/github/notifystomp/store/jdbc/} on the class path, with the table prefix
 * replacing {@code notify_}: by the starter through Spring Boot's script initializer
 * ({@code notify.stomp.store.jdbc.initialization-mode}), or by
 * {@link #initializeSchema()} outside Spring Boot.
 * <p>
 * The epoch is kept in the counter table, in the row of the empty user id (which no user
 * can have): it is created with a random value when it is missing, so a recreated counter
 * table, which starts every user's sequence numbers again, also has a new epoch.
 */
public class JdbcNotifyStore implements NotifyStore {

	private static final String COLUMNS = "user_id, seq, id, type, payload, created_at, delivered_at, read_at";

	private static final int DELETE_BATCH_SIZE = 1000;

	private static final int IDS_PER_STATEMENT = 500;

	// the counter row that holds the epoch: no user id is empty
	private static final String EPOCH_ROW = "";

	/**
	 * The time a call waits for the database unless told otherwise.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The most messages stored in one transaction by default.
	 */
	public static final int DEFAULT_MAX_BATCH_SIZE = 100;

	private static final RowMapper<StoredMessage> ROW_MAPPER = (rs, row) -> new StoredMessage(rs.getString("user_id"),
			rs.getLong("seq"), rs.getString("id"), rs.getString("type"), rs.getString("payload"),
			instant(rs, "created_at"), instant(rs, "delivered_at"), instant(rs, "read_at"));

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final JdbcTables tables;

	private final JdbcMessageWriter writer;

	private final Duration timeout;

	private final String messageTable;

	private final String seqTable;

	/**
	 * Create a store whose calls wait for the database at most {@link #DEFAULT_TIMEOUT}.
	 * @param dataSource the database
	 * @param tablePrefix the prefix of the table names: up to 32 letters, digits or
	 * {@code _}; {@code notify_} by default
	 */
	public JdbcNotifyStore(DataSource dataSource, String tablePrefix) {
		this(dataSource, tablePrefix, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param tablePrefix the prefix of the table names: up to 32 letters, digits or
	 * {@code _}; {@code notify_} by default
	 * @param timeout the longest time a call waits for a connection, and then for its
	 * statements; at least one second (statement timeouts are whole seconds)
	 */
	public JdbcNotifyStore(DataSource dataSource, String tablePrefix, Duration timeout) {
		this(dataSource, tablePrefix, timeout, DEFAULT_MAX_BATCH_SIZE);
	}

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param tablePrefix the prefix of the table names: up to 32 letters, digits or
	 * {@code _}; {@code notify_} by default
	 * @param timeout the longest time a call waits for a connection, and then for its
	 * statements; at least one second (statement timeouts are whole seconds)
	 * @param maxBatchSize the most messages saved outside a caller's transaction that are
	 * stored together in one transaction (group commit); 1 for one transaction per
	 * message
	 */
	public JdbcNotifyStore(DataSource dataSource, String tablePrefix, Duration timeout, int maxBatchSize) {
		if (dataSource == null) {
			throw new IllegalArgumentException("DataSource must not be null");
		}
		if (tablePrefix == null || !tablePrefix.matches("[A-Za-z0-9_]{0,32}")) {
			throw new IllegalArgumentException("Table prefix must be up to 32 letters, digits or '_'");
		}
		if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("Timeout must be at least one second");
		}
		this.timeout = timeout;
		// a second after the connections' network timeout, which ends a hung
		// call without a round trip: a query timeout makes a driver cancel over
		// a new connection, and on a hung server the statement then waits for
		// that cancel too (PostgreSQL's for 10 s)
		int seconds = (int) Math.min(Integer.MAX_VALUE - 1, (timeout.toMillis() + 999) / 1000) + 1;
		TimeBoundDataSource bounded = new TimeBoundDataSource(dataSource, timeout);
		this.jdbc = new JdbcTemplate(bounded);
		this.jdbc.setQueryTimeout(seconds);
		this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(bounded));
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.ownTransaction.setTimeout(seconds);
		if (maxBatchSize < 1) {
			throw new IllegalArgumentException("Batch size must be at least 1");
		}
		this.tables = new JdbcTables(dataSource, tablePrefix);
		this.messageTable = this.tables.messageTable();
		this.seqTable = this.tables.seqTable();
		this.writer = new JdbcMessageWriter(dataSource, this.jdbc, this.ownTransaction, this.tables, timeout,
				maxBatchSize);
	}

	/**
	 * Create the tables unless they exist. Safe to call on several nodes at once.
	 * @throws IllegalStateException if the database is not one the store supports
	 * @throws StoreUnavailableException if the database cannot be reached
	 */
	public void initializeSchema() {
		this.tables.initialize();
	}

	/**
	 * Check that the tables exist.
	 * @throws StoreSchemaMissingException if they do not
	 * @throws StoreUnavailableException if the database cannot be reached
	 */
	public void checkSchema() {
		this.tables.check();
	}

	/**
	 * Whether the message and counter tables exist.
	 * @return {@code true} if both can be read
	 */
	public boolean isSchemaPresent() {
		return this.tables.isPresent();
	}

	/**
	 * Return the class path location of the schema script for this database.
	 * @return the location, such as
	 * {@code io/github/notifystomp/store/jdbc/schema-postgresql.sql}
	 */
	public String schemaScript() {
		return this.tables.script();
	}

	@Override
	public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
		return this.writer.save(new JdbcRow(userId, id, type, payload, micros(createdAt)));
	}

	/**
	 * Return the epoch of the counter table, creating it on first use. Reads the database
	 * on every call: a caller that needs it often keeps it.
	 */
	@Override
	public String epoch() {
		try {
			Long epoch = readEpoch();
			if (epoch == null) {
				long fresh = Math.max(1, new SecureRandom().nextLong() >>> 1);
				try {
					this.ownTransaction.executeWithoutResult((status) -> this.jdbc.update(
							"INSERT INTO " + this.seqTable + " (user_id, last_seq) VALUES (?, ?)", EPOCH_ROW, fresh));
				}
				catch (DuplicateKeyException ex) {
					// another node created it first
				}
				epoch = readEpoch();
				if (epoch == null) {
					throw new IllegalStateException("The epoch row of " + this.seqTable + " cannot be created");
				}
			}
			return Long.toHexString(epoch);
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	private Long readEpoch() {
		return lastSeqRow(EPOCH_ROW);
	}

	@Override
	public long lastSeq(String userId) {
		try {
			Long found = lastSeqRow(userId);
			return (found != null) ? found : 0;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	private Long lastSeqRow(String userId) {
		List<Long> found = this.jdbc.queryForList("SELECT last_seq FROM " + this.seqTable + " WHERE user_id = ?",
				Long.class, userId);
		return found.isEmpty() ? null : found.get(0);
	}

	@Override
	public List<StoredMessage> findAfter(String userId, long afterSeq, int limit) {
		try {
			if (limit <= 0) {
				return List.of();
			}
			return this.jdbc.query(
					"SELECT " + COLUMNS + " FROM " + this.messageTable
							+ " WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?",
					ROW_MAPPER, userId, afterSeq, limit);
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public List<StoredMessage> findBefore(String userId, Long beforeSeq, int limit) {
		try {
			if (limit <= 0) {
				return List.of();
			}
			return this.jdbc.query(
					"SELECT " + COLUMNS + " FROM " + this.messageTable
							+ " WHERE user_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
					ROW_MAPPER, userId, (beforeSeq != null) ? beforeSeq : Long.MAX_VALUE, limit);
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public StoredMessage find(String userId, String id) {
		try {
			List<StoredMessage> found = this.jdbc.query(
					"SELECT " + COLUMNS + " FROM " + this.messageTable + " WHERE user_id = ? AND id = ?", ROW_MAPPER,
					userId, id);
			return found.isEmpty() ? null : found.get(0);
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public boolean markDelivered(String userId, String id) {
		try {
			return this.jdbc.update(
					"UPDATE " + this.messageTable
							+ " SET delivered_at = ? WHERE user_id = ? AND id = ? AND delivered_at IS NULL",
					utc(now()), userId, id) > 0;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public int markRead(String userId, Collection<String> ids) {
		try {
			List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
			LocalDateTime now = utc(now());
			int changed = 0;
			for (int from = 0; from < distinct.size(); from += IDS_PER_STATEMENT) {
				List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IDS_PER_STATEMENT));
				List<Object> args = new ArrayList<>(chunk.size() + 2);
				args.add(now);
				args.add(userId);
				args.addAll(chunk);
				changed += this.jdbc.update("UPDATE " + this.messageTable
						+ " SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN ("
						+ String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")", args.toArray());
			}
			return changed;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public long countUnread(String userId) {
		try {
			Long count = this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM " + this.messageTable + " WHERE user_id = ? AND read_at IS NULL", Long.class,
					userId);
			return (count != null) ? count : 0;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	@Override
	public boolean delete(String userId, String id) {
		try {
			return this.jdbc.update("DELETE FROM " + this.messageTable + " WHERE user_id = ? AND id = ?", userId,
					id) > 0;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	/**
	 * Delete the messages created before the cutoff, in batches, each in its own
	 * transaction when there is no caller transaction, so that no batch holds many locks
	 * for long. Safe to run on several nodes at once.
	 */
	@Override
	public int deleteCreatedBefore(Instant cutoff) {
		try {
			String delete = this.tables.dialect().deleteBatch(this.messageTable);
			LocalDateTime before = utc(cutoff);
			int total = 0;
			int deleted;
			int conflicts = 0;
			do {
				try {
					deleted = this.jdbc.update(delete, before, DELETE_BATCH_SIZE);
				}
				catch (PessimisticLockingFailureException ex) {
					// another node cleaning the same rows won the lock: its
					// rows are gone, try the next batch
					if (++conflicts > 10) {
						throw ex;
					}
					deleted = 1;
					continue;
				}
				total += deleted;
			}
			while (deleted > 0);
			return total;
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	/**
	 * Returns {@code true}: a save inside a transaction of the same {@link DataSource} is
	 * part of it.
	 */
	@Override
	public boolean joinsTransactions() {
		return true;
	}

	@Override
	public String toString() {
		return "JdbcNotifyStore[" + this.messageTable + "]";
	}

	private static Instant now() {
		return micros(Instant.now());
	}

	// every supported database keeps microseconds; truncating here keeps what a save
	// returns equal to what a read returns
	private static Instant micros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		LocalDateTime time = rs.getObject(column, LocalDateTime.class);
		return (time != null) ? time.toInstant(ZoneOffset.UTC) : null;
	}

}
