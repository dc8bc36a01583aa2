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

/**
 * Thrown at startup when the JDBC store's tables are missing and
 * {@code notify.stomp.store.jdbc.initialization-mode} does not create them.
 */
public class StoreSchemaMissingException extends RuntimeException {

	private final String tables;

	private final String script;

	/**
	 * Create an exception.
	 * @param tables the names of the tables the store needs
	 * @param script the class path location of the script that creates them for this
	 * database
	 * @param cause why the tables could not be read, or {@code null}
	 */
	public StoreSchemaMissingException(String tables, String script, Throwable cause) {
		super("The notify-stomp message store's tables (" + tables + ") are missing; create them with the script "
				+ script, cause);
		this.tables = tables;
		this.script = script;
	}

	/**
	 * Return the names of the tables the store needs.
	 * @return the table names, comma-separated
	 */
	public String getTables() {
		return this.tables;
	}

	/**
	 * Return the class path location of the script that creates the tables.
	 * @return the location, such as
	 * {@code classpath:io/github/notifystomp/store/jdbc/schema-postgresql.sql}
	 */
	public String getScript() {
		return this.script;
	}

}
