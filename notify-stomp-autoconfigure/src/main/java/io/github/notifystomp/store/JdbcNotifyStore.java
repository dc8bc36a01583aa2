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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

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
 * The tables are created by {@link #initializeSchema()} from a script per database in
 * {@code io/github/notifystomp/store/jdbc/} on the class path, with the table prefix
 * replacing {@code notify_}.
 * <p>
 * The epoch is kept in the counter table, in the row of the empty user id (which no user
 * can have): it is created with a random value when it is missing, so a recreated counter
 * table, which starts every user's sequence numbers again, also has a new epoch.
 */
public class JdbcNotifyStore implements NotifyStore {

	private static final Log logger = LogFactory.getLog(JdbcNotifyStore.class);

	private static final String COLUMNS = "user_id, seq, id, type, payload, created_at, delivered_at, read_at";

	private static final String DEFAULT_PREFIX = "notify_";

	private static final int DELETE_BATCH_SIZE = 1000;

	private static final int IDS_PER_STATEMENT = 500;

	private static final int SAVE_ATTEMPTS = 3;

	private static final int SCHEMA_ATTEMPTS = 5;

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

	// a few, so that batches are written while others wait for their commit to be
	// flushed
	private static final int GROUP_COMMIT_WRITERS = 4;

	private static final RowMapper<StoredMessage> ROW_MAPPER = (rs, row) -> new StoredMessage(rs.getString("user_id"),
			rs.getLong("seq"), rs.getString("id"), rs.getString("type"), rs.getString("payload"),
			instant(rs, "created_at"), instant(rs, "delivered_at"), instant(rs, "read_at"));

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	// schema checks at startup: not bounded by the store's timeout
	private final JdbcTemplate schemaJdbc;

	private final TransactionTemplate ownTransaction;

	private final Duration timeout;

	private final String tablePrefix;

	private final String messageTable;

	private final String seqTable;

	private volatile JdbcDialect dialect;

	// null when every save has a transaction of its own
	private final JdbcGroupCommit groupCommit;

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
		this.dataSource = dataSource;
		this.timeout = timeout;
		// a second after the connections' network timeout, which ends a hung call without
		// a
		// round trip: a query timeout makes a driver cancel over a new connection, and on
		// a
		// hung server the statement then waits for that cancel too (PostgreSQL's for 10
		// s)
		int seconds = (int) Math.min(Integer.MAX_VALUE - 1, (timeout.toMillis() + 999) / 1000) + 1;
		TimeBoundDataSource bounded = new TimeBoundDataSource(dataSource, timeout);
		this.jdbc = new JdbcTemplate(bounded);
		this.jdbc.setQueryTimeout(seconds);
		this.schemaJdbc = new JdbcTemplate(dataSource);
		this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(bounded));
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.ownTransaction.setTimeout(seconds);
		this.tablePrefix = tablePrefix;
		this.messageTable = tablePrefix + "message";
		this.seqTable = tablePrefix + "user_seq";
		if (maxBatchSize < 1) {
			throw new IllegalArgumentException("Batch size must be at least 1");
		}
		this.groupCommit = (maxBatchSize > 1)
				? new JdbcGroupCommit(GROUP_COMMIT_WRITERS, maxBatchSize, timeout, this::saveBatch, this::saveAlone)
				: null;
	}

	/**
	 * Create the tables unless they exist. Safe to call on several nodes at once.
	 * @throws IllegalStateException if the database is not one the store supports
	 * @throws StoreUnavailableException if the database cannot be reached
	 */
	public void initializeSchema() {
		// connects first: a database that is down is reported as such, not as missing
		// tables
		dialect();
		if (isSchemaPresent()) {
			return;
		}
		String script = schemaScript();
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ByteArrayResource(readScript(script).getBytes(StandardCharsets.UTF_8), script));
		populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
		for (int attempt = 1;; attempt++) {
			try {
				populator.execute(this.dataSource);
				logger.info("Created the notify-stomp message store tables (" + tableNames() + ") from " + script);
				return;
			}
			catch (RuntimeException ex) {
				// another node may be running the same script: PostgreSQL
				// fails one of two concurrent CREATE TABLE IF NOT EXISTS;
				// once the other node is done, every statement is a no-op
				if (attempt >= SCHEMA_ATTEMPTS) {
					throw ex;
				}
				logger.debug("Creating the message store tables failed, trying again: " + ex);
				pause(attempt * 200L);
			}
		}
	}

	/**
	 * Check that the tables exist.
	 * @throws StoreSchemaMissingException if they do not
	 * @throws StoreUnavailableException if the database cannot be reached
	 */
	public void checkSchema() {
		dialect();
		if (!isSchemaPresent()) {
			throw new StoreSchemaMissingException(tableNames(), "classpath:" + schemaScript(), null);
		}
	}

	/**
	 * Whether the message and counter tables exist.
	 * @return {@code true} if both can be read
	 */
	public boolean isSchemaPresent() {
		try {
			this.schemaJdbc.queryForList("SELECT user_id FROM " + this.messageTable + " WHERE 1 = 0");
			this.schemaJdbc.queryForList("SELECT user_id FROM " + this.seqTable + " WHERE 1 = 0");
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	/**
	 * Return the class path location of the schema script for this database.
	 * @return the location, such as
	 * {@code io/github/notifystomp/store/jdbc/schema-postgresql.sql}
	 */
	public String schemaScript() {
		return dialect().script();
	}

	@Override
	public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
		JdbcRow row = new JdbcRow(userId, id, type, payload, micros(createdAt));
		if (inCallerTransaction()) {
			try {
				return insert(row);
			}
			catch (RuntimeException ex) {
				throw unavailable(ex);
			}
		}
		return (this.groupCommit != null) ? this.groupCommit.save(row) : saveAlone(row);
	}

	// in a transaction of its own
	private StoredMessage saveAlone(JdbcRow row) {
		try {
			return inOwnTransaction(() -> insert(row), row.userId());
		}
		catch (RuntimeException ex) {
			throw unavailable(ex);
		}
	}

	// several senders' messages in one transaction; a refused row fails the whole batch
	// with the database's exception, and the group commit then saves each alone
	private List<StoredMessage> saveBatch(List<JdbcRow> rows) {
		try {
			return inOwnTransaction(() -> insertBatch(rows), rows.size() + " messages");
		}
		catch (DataIntegrityViolationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw unavailable(ex);
		}
	}

	private <T> T inOwnTransaction(Supplier<T> work, String what) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.ownTransaction.execute((status) -> work.get());
			}
			catch (PessimisticLockingFailureException ex) {
				// a deadlock or lock timeout rolled the whole save back: nothing to undo
				if (attempt >= SAVE_ATTEMPTS) {
					throw ex;
				}
				logger.debug("Saving " + what + " hit " + ex + "; trying again");
			}
		}
	}

	private List<StoredMessage> insertBatch(List<JdbcRow> rows) {
		SortedMap<String, Integer> counts = new TreeMap<>();
		rows.forEach((row) -> counts.merge(row.userId(), 1, Integer::sum));
		Map<String, Long> last = dialect().reserveSeqs(this.jdbc, this.seqTable, counts);
		Map<String, Long> next = new HashMap<>();
		counts.forEach((userId, count) -> next.put(userId, last.get(userId) - count + 1));
		List<StoredMessage> stored = new ArrayList<>(rows.size());
		List<Object> args = new ArrayList<>(rows.size() * 6);
		for (JdbcRow row : rows) {
			long seq = next.merge(row.userId(), 1L, Long::sum) - 1;
			stored.add(new StoredMessage(row.userId(), seq, row.id(), row.type(), row.payload(), row.createdAt(), null,
					null));
			Collections.addAll(args, row.userId(), seq, row.id(), row.type(), row.payload(), utc(row.createdAt()));
		}
		// one multi-row statement: one execution on the server instead of one per row
		this.jdbc.update("INSERT INTO " + this.messageTable + " (user_id, seq, id, type, payload, created_at) VALUES "
				+ String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?)")), args.toArray());
		return stored;
	}

	private StoredMessage insert(JdbcRow row) {
		long seq = dialect().nextSeq(this.jdbc, this.seqTable, row.userId());
		try {
			this.jdbc.update(
					"INSERT INTO " + this.messageTable
							+ " (user_id, seq, id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
					row.userId(), seq, row.id(), row.type(), row.payload(), utc(row.createdAt()));
		}
		catch (DuplicateKeyException ex) {
			throw new IllegalArgumentException("Notification id '" + row.id() + "' already exists for this user", ex);
		}
		return new StoredMessage(row.userId(), seq, row.id(), row.type(), row.payload(), row.createdAt(), null, null);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
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
			throw unavailable(ex);
		}
	}

	@Override
	public boolean delete(String userId, String id) {
		try {
			return this.jdbc.update("DELETE FROM " + this.messageTable + " WHERE user_id = ? AND id = ?", userId,
					id) > 0;
		}
		catch (RuntimeException ex) {
			throw unavailable(ex);
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
			String delete = dialect().deleteBatch(this.messageTable);
			LocalDateTime before = utc(cutoff);
			int total = 0;
			int deleted;
			int conflicts = 0;
			do {
				try {
					deleted = this.jdbc.update(delete, before, DELETE_BATCH_SIZE);
				}
				catch (PessimisticLockingFailureException ex) {
					// another node cleaning the same rows won the lock: its rows are
					// gone,
					// try the next batch
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
			throw unavailable(ex);
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

	// a database that cannot be reached or does not answer in time, as one exception
	// that says so; anything else as it is
	private RuntimeException unavailable(RuntimeException ex) {
		if (ex instanceof StoreUnavailableException) {
			return ex;
		}
		if (ex instanceof QueryTimeoutException || ex instanceof TransactionTimedOutException) {
			return new StoreUnavailableException("The notify-stomp message store did not answer within "
					+ this.timeout.toMillis() + "ms (notify.stomp.store.timeout)", ex);
		}
		if (ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessResourceException
				|| ex instanceof CannotCreateTransactionException || ex instanceof TransactionSystemException) {
			return new StoreUnavailableException(ex);
		}
		return ex;
	}

	// a save must hold the counter lock and insert on one connection in one transaction:
	// join only a real transaction on a connection of our DataSource
	private boolean inCallerTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			return false;
		}
		Object resource = TransactionSynchronizationManager.getResource(this.dataSource);
		if (!(resource instanceof ConnectionHolder holder) || holder.getConnectionHandle() == null) {
			return false;
		}
		try {
			Connection connection = holder.getConnection();
			return !connection.getAutoCommit();
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private JdbcDialect dialect() {
		JdbcDialect dialect = this.dialect;
		if (dialect == null) {
			String product;
			try {
				product = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
			}
			catch (MetaDataAccessException | RuntimeException ex) {
				// a connection pool may throw its own runtime exception (HikariCP's
				// PoolInitializationException)
				throw new StoreUnavailableException(ex);
			}
			dialect = JdbcDialect.forProductName(product);
			if (dialect == null) {
				throw new IllegalStateException(
						"The notify-stomp JDBC store supports PostgreSQL, MariaDB, MySQL and H2," + " not " + product
								+ "; use notify.stomp.store.type=memory or define your own NotifyStore bean");
			}
			this.dialect = dialect;
		}
		return dialect;
	}

	private String readScript(String location) {
		try {
			String script = StreamUtils.copyToString(
					new ClassPathResource(location, JdbcNotifyStore.class.getClassLoader()).getInputStream(),
					StandardCharsets.UTF_8);
			return script.replace(DEFAULT_PREFIX, this.tablePrefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
	}

	private String tableNames() {
		return this.messageTable + ", " + this.seqTable + ", " + this.tablePrefix + "schema_version";
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating the message store tables", ex);
		}
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
