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
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes messages to the JDBC store: in the caller's transaction when it has one on the
 * store's {@link DataSource}, else in batches of messages sent at the same time (group
 * commit; on PostgreSQL one statement per batch), else each in a transaction of its own.
 * Every way takes the user's next sequence numbers under the lock of the user's counter
 * row, so they become visible in commit order.
 */
final class JdbcMessageWriter {

	private static final Log logger = LogFactory.getLog(JdbcMessageWriter.class);

	private static final int SAVE_ATTEMPTS = 3;

	// a few, so that batches are written while others wait for their commit to
	// be flushed
	private static final int GROUP_COMMIT_WRITERS = 4;

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final JdbcTables tables;

	private final Duration timeout;

	// null when every save has a transaction of its own
	private final JdbcGroupCommit groupCommit;

	// used on PostgreSQL only
	private final JdbcPostgresBatch postgresBatch;

	JdbcMessageWriter(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate ownTransaction, JdbcTables tables,
			Duration timeout, int maxBatchSize) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.ownTransaction = ownTransaction;
		this.tables = tables;
		this.timeout = timeout;
		this.postgresBatch = new JdbcPostgresBatch(tables.messageTable(), tables.seqTable());
		this.groupCommit = (maxBatchSize > 1)
				? new JdbcGroupCommit(GROUP_COMMIT_WRITERS, maxBatchSize, timeout, this::saveBatch, this::saveAlone)
				: null;
	}

	StoredMessage save(JdbcRow row) {
		if (inCallerTransaction()) {
			try {
				return insert(row);
			}
			catch (RuntimeException ex) {
				throw StoreUnavailableException.fromJdbc(ex, this.timeout);
			}
		}
		return (this.groupCommit != null) ? this.groupCommit.save(row) : saveAlone(row);
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

	// in a transaction of its own
	private StoredMessage saveAlone(JdbcRow row) {
		try {
			return inOwnTransaction(() -> insert(row), row.userId());
		}
		catch (RuntimeException ex) {
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
		}
	}

	// several senders' messages in one transaction; a refused row fails the whole batch
	// with the database's exception, and the group commit then saves each alone
	private List<StoredMessage> saveBatch(List<JdbcRow> rows) {
		try {
			return inOwnTransaction(() -> insertBatch(rows), rows.size() + " messages");
		}
		catch (RuntimeException ex) {
			// a refused row (DataIntegrityViolationException) comes out as it is
			throw StoreUnavailableException.fromJdbc(ex, this.timeout);
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
		if (this.tables.dialect() == JdbcDialect.POSTGRESQL) {
			// one statement whose text never changes: prepared once per connection
			return this.jdbc.execute((ConnectionCallback<List<StoredMessage>>) (connection) -> this.postgresBatch
				.insert(connection, rows));
		}
		SortedMap<String, Integer> counts = new TreeMap<>();
		rows.forEach((row) -> counts.merge(row.userId(), 1, Integer::sum));
		Map<String, Long> last = this.tables.dialect().reserveSeqs(this.jdbc, this.tables.seqTable(), counts);
		Map<String, Long> next = new HashMap<>();
		counts.forEach((userId, count) -> next.put(userId, last.get(userId) - count + 1));
		List<StoredMessage> stored = new ArrayList<>(rows.size());
		List<Object> args = new ArrayList<>(rows.size() * 6);
		for (JdbcRow row : rows) {
			long seq = next.merge(row.userId(), 1L, Long::sum) - 1;
			stored.add(row.stored(seq));
			Collections.addAll(args, row.userId(), seq, row.id(), row.type(), row.payload(), row.createdAtUtc());
		}
		// one multi-row statement: one execution on the server instead of one per row
		this.jdbc.update(insertInto() + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?)")),
				args.toArray());
		return stored;
	}

	private StoredMessage insert(JdbcRow row) {
		long seq = this.tables.dialect().nextSeq(this.jdbc, this.tables.seqTable(), row.userId());
		try {
			this.jdbc.update(insertInto() + "(?, ?, ?, ?, ?, ?)", row.userId(), seq, row.id(), row.type(),
					row.payload(), row.createdAtUtc());
		}
		catch (DuplicateKeyException ex) {
			throw new IllegalArgumentException("Notification id '" + row.id() + "' already exists for this user", ex);
		}
		return row.stored(seq);
	}

	private String insertInto() {
		return "INSERT INTO " + this.tables.messageTable() + " (user_id, seq, id, type, payload, created_at) VALUES ";
	}

}
