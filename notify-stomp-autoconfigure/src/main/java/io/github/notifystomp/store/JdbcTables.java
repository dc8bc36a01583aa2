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
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.StreamUtils;

/**
 * The JDBC store's tables: their names, the database they are in (its dialect), and
 * whether they exist. Creates them from the database's script when asked.
 */
final class JdbcTables {

	private static final Log logger = LogFactory.getLog(JdbcTables.class);

	private static final String DEFAULT_PREFIX = "notify_";

	private static final int SCHEMA_ATTEMPTS = 5;

	private final DataSource dataSource;

	// schema checks at startup: not bounded by the store's timeout
	private final JdbcTemplate schemaJdbc;

	private final String prefix;

	private final String messageTable;

	private final String seqTable;

	private volatile JdbcDialect dialect;

	JdbcTables(DataSource dataSource, String prefix) {
		this.dataSource = dataSource;
		this.schemaJdbc = new JdbcTemplate(dataSource);
		this.prefix = prefix;
		this.messageTable = prefix + "message";
		this.seqTable = prefix + "user_seq";
	}

	String messageTable() {
		return this.messageTable;
	}

	String seqTable() {
		return this.seqTable;
	}

	void initialize() {
		// connects first: a database that is down is reported as such, not as
		// missing tables
		dialect();
		if (isPresent()) {
			return;
		}
		String script = script();
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ByteArrayResource(readScript(script).getBytes(StandardCharsets.UTF_8), script));
		populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
		for (int attempt = 1;; attempt++) {
			try {
				populator.execute(this.dataSource);
				logger.info("Created the notify-stomp message store tables (" + names() + ") from " + script);
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

	void check() {
		dialect();
		if (!isPresent()) {
			throw new StoreSchemaMissingException(names(), "classpath:" + script(), null);
		}
	}

	boolean isPresent() {
		try {
			this.schemaJdbc.queryForList("SELECT user_id FROM " + this.messageTable + " WHERE 1 = 0");
			this.schemaJdbc.queryForList("SELECT user_id FROM " + this.seqTable + " WHERE 1 = 0");
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	String script() {
		return dialect().script();
	}

	JdbcDialect dialect() {
		JdbcDialect dialect = this.dialect;
		if (dialect == null) {
			String product;
			try {
				product = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
			}
			catch (MetaDataAccessException | RuntimeException ex) {
				// a connection pool may throw its own runtime exception
				// (HikariCP's PoolInitializationException)
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
					new ClassPathResource(location, JdbcTables.class.getClassLoader()).getInputStream(),
					StandardCharsets.UTF_8);
			return script.replace(DEFAULT_PREFIX, this.prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
	}

	private String names() {
		return this.messageTable + ", " + this.seqTable + ", " + this.prefix + "schema_version";
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

}
