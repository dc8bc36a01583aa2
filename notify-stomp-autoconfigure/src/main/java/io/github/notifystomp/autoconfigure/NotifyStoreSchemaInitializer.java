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

package io.github.notifystomp.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StreamUtils;

import io.github.notifystomp.store.JdbcNotifyStore;

/**
 * Creates the JDBC store's tables with Spring Boot's script initializer, so that Boot's
 * database initialization ordering runs it before the store and every other bean that
 * depends on database initialization (JPA, jOOQ, the application's own JDBC users). The
 * script is the one for the database in {@code io/github/notifystomp/store/jdbc/}, with
 * the table prefix in place of {@code notify_}. The same class runs on both Spring Boot
 * lines: the initializer types have the same names on each.
 */
class NotifyStoreSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	private static final Log logger = LogFactory.getLog(NotifyStoreSchemaInitializer.class);

	// a name, not a path: the script depends on the database, which is only known once
	// it is connected to, so this initializer's resource loader resolves it when the
	// scripts are read (and never at all when the mode says not to run them)
	private static final String SCHEMA_LOCATION = "notify-stomp-schema";

	private static final int ATTEMPTS = 5;

	private static final String DEFAULT_PREFIX = "notify_";

	// asked which script fits the database and whether the tables exist; never stores
	private final JdbcNotifyStore tables;

	private final String tablePrefix;

	NotifyStoreSchemaInitializer(DataSource dataSource, NotifyStompProperties.Store.Jdbc.InitializationMode mode,
			String tablePrefix, Duration timeout) {
		super(dataSource, settings(mode));
		this.tables = new JdbcNotifyStore(dataSource, tablePrefix, timeout);
		this.tablePrefix = tablePrefix;
		super.setResourceLoader(new SchemaResourceLoader());
	}

	private static DatabaseInitializationSettings settings(NotifyStompProperties.Store.Jdbc.InitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setSchemaLocations(List.of(SCHEMA_LOCATION));
		settings.setMode(DatabaseInitializationMode.valueOf(mode.name()));
		settings.setEncoding(StandardCharsets.UTF_8);
		return settings;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		// the context's loader would look for the script name as a file; this
		// initializer's own loader stays in place
	}

	@Override
	protected void runScripts(Scripts scripts) {
		// tables that exist are left alone, so a database user without DDL rights can run
		// a node once the schema is there
		if (this.tables.isSchemaPresent()) {
			return;
		}
		for (int attempt = 1;; attempt++) {
			try {
				super.runScripts(scripts);
				logger.info("Created the notify-stomp message store tables (prefix " + this.tablePrefix + ") from "
						+ this.tables.schemaScript());
				return;
			}
			catch (RuntimeException ex) {
				// another node may be running the same script: PostgreSQL fails one of
				// two concurrent CREATE TABLE IF NOT EXISTS; once the other node is done,
				// every statement is a no-op
				if (attempt >= ATTEMPTS) {
					throw ex;
				}
				logger.debug("Creating the message store tables failed, trying again: " + ex);
				pause(attempt * 200L);
			}
		}
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

	/**
	 * Resolves {@link #SCHEMA_LOCATION} to this database's script with the table prefix
	 * applied.
	 */
	private final class SchemaResourceLoader extends DefaultResourceLoader {

		SchemaResourceLoader() {
			super(NotifyStoreSchemaInitializer.class.getClassLoader());
		}

		@Override
		public Resource getResource(String location) {
			if (!SCHEMA_LOCATION.equals(location)) {
				return super.getResource(location);
			}
			String script = NotifyStoreSchemaInitializer.this.tables.schemaScript();
			try {
				String text = StreamUtils.copyToString(new ClassPathResource(script, getClassLoader()).getInputStream(),
						StandardCharsets.UTF_8);
				return new ByteArrayResource(text.replace(DEFAULT_PREFIX, NotifyStoreSchemaInitializer.this.tablePrefix)
					.getBytes(StandardCharsets.UTF_8), "classpath:" + script);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + script, ex);
			}
		}

	}

}
