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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

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

	// a name, not a path: the script depends on the database, which is only known once
	// it is connected to, so this initializer's resource loader resolves it when the
	// scripts are read (and never at all when the mode says not to run them)
	private static final String SCHEMA_LOCATION = "notify-stomp-schema";

	// runs the schema script that fits the database; never stores
	private final JdbcNotifyStore tables;

	NotifyStoreSchemaInitializer(DataSource dataSource, NotifyStompProperties.Store.Jdbc.InitializationMode mode,
			String tablePrefix, Duration timeout) {
		super(dataSource, settings(mode));
		this.tables = new JdbcNotifyStore(dataSource, tablePrefix, timeout);
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
		// the store runs its own script: it leaves tables that exist alone (so a database
		// user without DDL rights can run a node once the schema is there), and tries
		// again while another node runs the same script
		this.tables.initializeSchema();
	}

	/**
	 * Resolves {@link #SCHEMA_LOCATION} to this database's script, for Boot to see that
	 * there is one; the store applies the table prefix when it runs it.
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
			return new ClassPathResource(NotifyStoreSchemaInitializer.this.tables.schemaScript(), getClassLoader());
		}

	}

}
