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
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on {@link JdbcNotifyStore} with an in-memory H2 database.
 */
class H2JdbcNotifyStoreTests extends AbstractJdbcNotifyStoreTests {

	private static HikariDataSource main;

	private static HikariDataSource other;

	@BeforeAll
	static void startDatabase() {
		String url = "jdbc:h2:mem:notify-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
		main = pool(url);
		other = pool(url);
	}

	@AfterAll
	static void stopDatabase() {
		other.close();
		main.close();
	}

	@Override
	protected DataSource dataSource() {
		return main;
	}

	@Override
	protected List<DataSource> otherDataSources() {
		return List.of(other);
	}

	private static HikariDataSource pool(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername("sa");
		dataSource.setMaximumPoolSize(8);
		return dataSource;
	}

}
