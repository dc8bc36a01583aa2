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

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh schema or database for one test class, from {@link Databases}. Closing it
 * closes the connection pools it made and drops the schema or database.
 */
public final class TestDatabase implements AutoCloseable {

	private final String kind;

	private final String url;

	private final String user;

	private final String password;

	private final Runnable drop;

	private final List<HikariDataSource> dataSources = new CopyOnWriteArrayList<>();

	TestDatabase(String kind, String url, String user, String password, Runnable drop) {
		this.kind = kind;
		this.url = url;
		this.user = user;
		this.password = password;
		this.drop = drop;
	}

	public String url() {
		return this.url;
	}

	public String user() {
		return this.user;
	}

	public String password() {
		return this.password;
	}

	/**
	 * Return a new connection pool on this database, closed with it.
	 */
	public DataSource newDataSource(int maxConnections) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(this.url);
		dataSource.setUsername(this.user);
		dataSource.setPassword(this.password);
		dataSource.setMaximumPoolSize(maxConnections);
		dataSource.setMinimumIdle(0);
		dataSource.setPoolName("notify-test-" + this.kind + "-" + this.dataSources.size());
		this.dataSources.add(dataSource);
		return dataSource;
	}

	/**
	 * Return the Spring Boot properties that point an application context at this
	 * database. They do not say whether the store creates its tables: a server database
	 * gets them only with {@link #springPropertiesCreatingTheSchema()}.
	 */
	public String[] springProperties() {
		return new String[] { "spring.datasource.url=" + this.url, "spring.datasource.username=" + this.user,
				"spring.datasource.password=" + this.password, "spring.datasource.hikari.maximum-pool-size=6",
				"spring.datasource.hikari.minimum-idle=0" };
	}

	/**
	 * Return the Spring Boot properties that point an application context at this
	 * database and let the store create its tables there, which it does by default on an
	 * embedded database only.
	 */
	public String[] springPropertiesCreatingTheSchema() {
		String[] base = springProperties();
		String[] all = Arrays.copyOf(base, base.length + 1);
		all[base.length] = "notify.stomp.store.jdbc.initialization-mode=always";
		return all;
	}

	@Override
	public void close() {
		this.dataSources.forEach(HikariDataSource::close);
		this.drop.run();
	}

	@Override
	public String toString() {
		return this.kind + " " + this.url;
	}

}
