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
import org.junit.jupiter.api.TestInstance;

import io.github.notifystomp.test.TestDatabase;

/**
 * The store contract on {@link JdbcNotifyStore} against a database server, in a fresh
 * database or schema of the test's own that is dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerJdbcNotifyStoreTests extends AbstractJdbcNotifyStoreTests {

	private TestDatabase database;

	private DataSource main;

	private List<DataSource> others;

	/**
	 * Create the fresh database of this test class.
	 */
	protected abstract TestDatabase createDatabase();

	@BeforeAll
	void startDatabase() {
		this.database = createDatabase();
		this.main = this.database.newDataSource(8);
		this.others = List.of(this.database.newDataSource(4), this.database.newDataSource(4));
	}

	@AfterAll
	void stopDatabase() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Override
	protected DataSource dataSource() {
		return this.main;
	}

	@Override
	protected List<DataSource> otherDataSources() {
		return this.others;
	}

}
