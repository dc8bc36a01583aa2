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

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.TestDatabase;

/**
 * The store contract on {@link JdbcNotifyStore} with MariaDB, in a fresh database.
 */
class MariaDbJdbcNotifyStoreTests extends AbstractJdbcNotifyStoreTests {

	private static TestDatabase database;

	private static DataSource main;

	private static List<DataSource> others;

	@BeforeAll
	static void startDatabase() {
		database = Databases.mariadb();
		main = database.newDataSource(8);
		others = List.of(database.newDataSource(4), database.newDataSource(4));
	}

	@AfterAll
	static void stopDatabase() {
		if (database != null) {
			database.close();
		}
	}

	@Override
	protected DataSource dataSource() {
		return main;
	}

	@Override
	protected List<DataSource> otherDataSources() {
		return others;
	}

}
