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

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.StoreSchemaMissingException;
import io.github.notifystomp.test.BootAutoConfigurations;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the JDBC store's schema initialization: each
 * {@code notify.stomp.store.jdbc.initialization-mode} on an embedded (H2) and a server
 * (PostgreSQL, MariaDB) database, the deprecated {@code initialize-schema} flag it
 * replaces, and the ordering Spring Boot gives the initializer.
 */
class JdbcStoreSchemaInitializationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.jackson(),
				NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
				NotifyStompAutoConfiguration.class, BootAutoConfigurations.dataSource(),
				BootAutoConfigurations.dataSourceTransactionManager(), BootAutoConfigurations.transaction()))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void whenTheModeIsNotSetThenAnEmbeddedDatabaseGetsTheTables() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(JdbcNotifyStore.class);
			assertThat(context.getBean(JdbcNotifyStore.class).isSchemaPresent()).isTrue();
		});
	}

	@Test
	void whenTheModeIsNotSetThenAServerDatabaseGetsNoTablesAndStartupFailsNamingTheMode() {
		try (TestDatabase database = Databases.postgres()) {
			this.runner.withPropertyValues(database.springProperties()).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StoreSchemaMissingException.class);
				FailureAnalysis analysis = new StoreSchemaMissingFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("notify.stomp.store.jdbc.initialization-mode",
						"embedded");
				assertThat(analysis.getAction()).contains("schema-postgresql.sql",
						"notify.stomp.store.jdbc.initialization-mode=always");
			});
		}
	}

	@Test
	void whenTheModeIsAlwaysThenPostgreSqlGetsTheTablesAndTheStoreItsEpoch() {
		try (TestDatabase database = Databases.postgres()) {
			this.runner.withPropertyValues(database.springProperties())
				.withPropertyValues("notify.stomp.store.jdbc.initialization-mode=always")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					JdbcNotifyStore store = context.getBean(JdbcNotifyStore.class);
					assertThat(store.isSchemaPresent()).isTrue();
					String epoch = store.epoch();
					assertThat(epoch).isNotBlank();
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
					// the epoch row the store adds lazily, not a row of the script
					assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_user_seq WHERE user_id = ''",
							Integer.class))
						.isEqualTo(1);
					assertThat(jdbc.queryForList("SELECT version FROM notify_schema_version", Integer.class))
						.containsExactly(1);
				});
		}
	}

	@Test
	void whenTheModeIsAlwaysThenMariaDbGetsTheTablesWithTheTablePrefix() {
		try (TestDatabase database = Databases.mariadb()) {
			this.runner.withPropertyValues(database.springProperties())
				.withPropertyValues("notify.stomp.store.jdbc.initialization-mode=always",
						"notify.stomp.store.jdbc.table-prefix=app_notify_")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
					assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_notify_message", Integer.class)).isZero();
					assertThat(context.getBean(JdbcNotifyStore.class).epoch()).isNotBlank();
				});
		}
	}

	@Test
	void whenTheModeIsAlwaysAndTheTablesExistThenTheyAreKept() {
		try (TestDatabase database = Databases.postgres()) {
			String[] always = { "notify.stomp.store.jdbc.initialization-mode=always" };
			this.runner.withPropertyValues(database.springProperties()).withPropertyValues(always).run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(JdbcNotifyStore.class).save("alice", "a", "text", null, Instant.now());
			});
			this.runner.withPropertyValues(database.springProperties()).withPropertyValues(always).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JdbcNotifyStore.class).lastSeq("alice")).isEqualTo(1);
			});
		}
	}

	@Test
	void whenTheModeIsNeverThenEvenAnEmbeddedDatabaseGetsNoTables() {
		this.runner.withPropertyValues("notify.stomp.store.jdbc.initialization-mode=never").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StoreSchemaMissingException.class);
		});
	}

	@Test
	void whenTheDeprecatedFlagIsTrueThenItMeansAlways() {
		try (TestDatabase database = Databases.postgres()) {
			this.runner.withPropertyValues(database.springProperties())
				.withPropertyValues("notify.stomp.store.jdbc.initialize-schema=true")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					NotifyStompProperties.Store.Jdbc jdbc = context.getBean(NotifyStompProperties.class)
						.getStore()
						.getJdbc();
					assertThat(jdbc.getInitializationMode())
						.isEqualTo(NotifyStompProperties.Store.Jdbc.InitializationMode.ALWAYS);
					assertThat(context.getBean(JdbcNotifyStore.class).isSchemaPresent()).isTrue();
				});
		}
	}

	@Test
	void whenTheDeprecatedFlagIsFalseThenItMeansNever() {
		this.runner.withPropertyValues("notify.stomp.store.jdbc.initialize-schema=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StoreSchemaMissingException.class);
		});
	}

	@Test
	void whenTheDeprecatedFlagAndTheModeAreBothSetThenTheModeWins() {
		this.runner
			.withPropertyValues("notify.stomp.store.jdbc.initialize-schema=true",
					"notify.stomp.store.jdbc.initialization-mode=never")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(StoreSchemaMissingException.class));
		this.runner
			.withPropertyValues("notify.stomp.store.jdbc.initialize-schema=false",
					"notify.stomp.store.jdbc.initialization-mode=embedded")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenABeanDependsOnDatabaseInitializationThenItFindsTheTables() {
		this.runner.withUserConfiguration(TableReaderConfiguration.class)
			.run((context) -> assertThat(context.getBean("messageCount")).isEqualTo(0));
	}

	@Configuration(proxyBeanMethods = false)
	static class TableReaderConfiguration {

		// reads the store's table while the context starts, as an application's own
		// repository might: Spring Boot runs the initializer before it
		@Bean
		@DependsOnDatabaseInitialization
		Integer messageCount(DataSource dataSource) {
			List<Integer> count = new JdbcTemplate(dataSource).queryForList("SELECT COUNT(*) FROM notify_message",
					Integer.class);
			return count.get(0);
		}

	}

}
