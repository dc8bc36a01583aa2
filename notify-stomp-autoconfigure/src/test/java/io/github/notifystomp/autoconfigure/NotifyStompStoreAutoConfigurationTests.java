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
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import io.github.notifystomp.InboxMessage;
import io.github.notifystomp.InboxPage;
import io.github.notifystomp.MessageTypeRegistry;
import io.github.notifystomp.NotifyInbox;
import io.github.notifystomp.store.DefaultNotifyInbox;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.internal.StoreCleanup;
import io.github.notifystomp.store.StoreSchemaMissingException;
import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NotifyStompStoreAutoConfiguration}: which store each
 * {@code notify.stomp.store.type} gives, with and without a {@code DataSource}.
 */
class NotifyStompStoreAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(BootAutoConfigurations.jackson(), NotifyStompAuthAutoConfiguration.class,
					NotifyStompStoreAutoConfiguration.class, NotifyStompAutoConfiguration.class));

	private final WebApplicationContextRunner withDataSource = this.runner
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataSource(),
				BootAutoConfigurations.dataSourceTransactionManager(), BootAutoConfigurations.transaction()))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void whenThereIsNoDataSourceThenAutoUsesTheMemoryStore() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(MemoryNotifyStore.class);
			assertThat(context).hasSingleBean(StoreCleanup.class);
			assertThat(context).hasSingleBean(DefaultNotifyInbox.class);
		});
	}

	@Test
	void whenThereIsADataSourceThenAutoUsesTheJdbcStoreAndCreatesItsTables() {
		this.withDataSource.run((context) -> {
			assertThat(context).hasSingleBean(JdbcNotifyStore.class);
			assertThat(context).doesNotHaveBean(MemoryNotifyStore.class);
			assertThat(context.getBean(JdbcNotifyStore.class).isSchemaPresent()).isTrue();
			assertThat(tables(context.getBean(DataSource.class))).contains("NOTIFY_MESSAGE", "NOTIFY_USER_SEQ",
					"NOTIFY_SCHEMA_VERSION");
			assertThat(context).hasSingleBean(StoreCleanup.class);
			assertThat(context).hasSingleBean(NotifyInbox.class);
		});
	}

	@Test
	void whenTypeIsJdbcThenTheJdbcStoreIsUsed() {
		this.withDataSource.withPropertyValues("notify.stomp.store.type=jdbc")
			.run((context) -> assertThat(context).hasSingleBean(JdbcNotifyStore.class));
	}

	@Test
	void whenTypeIsMemoryThenTheMemoryStoreIsUsedEvenWithADataSource() {
		this.withDataSource.withPropertyValues("notify.stomp.store.type=memory").run((context) -> {
			assertThat(context).hasSingleBean(MemoryNotifyStore.class);
			assertThat(context).doesNotHaveBean(JdbcNotifyStore.class);
			assertThat(tables(context.getBean(DataSource.class))).doesNotContain("NOTIFY_MESSAGE");
		});
	}

	@Test
	void whenTypeIsNoneThenThereIsNoStoreNoCleanupAndNoInbox() {
		this.withDataSource.withPropertyValues("notify.stomp.store.type=none").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(NotifyStore.class);
			assertThat(context).doesNotHaveBean(StoreCleanup.class);
			assertThat(context).doesNotHaveBean(NotifyInbox.class);
		});
	}

	@Test
	void whenTypeIsJdbcWithoutADataSourceThenStartupFailsSayingWhatIsMissing() {
		this.runner.withPropertyValues("notify.stomp.store.type=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidNotifyStompPropertyException.class)
				.hasMessageContaining("notify.stomp.store.type")
				.hasMessageContaining("DataSource");
			FailureAnalysis analysis = new InvalidNotifyStompPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("notify.stomp.store.type", "jdbc", "DataSource");
		});
	}

	@Test
	void whenTypeIsJdbcWithoutSpringJdbcThenStartupFailsSayingWhatIsMissing() {
		this.runner.withPropertyValues("notify.stomp.store.type=jdbc")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidNotifyStompPropertyException.class)
				.hasMessageContaining("spring-jdbc"));
	}

	@Test
	void whenTypeIsAutoWithoutSpringJdbcThenTheMemoryStoreIsUsed() {
		this.runner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).hasSingleBean(MemoryNotifyStore.class));
	}

	@Test
	void whenTheApplicationDefinesANotifyStoreThenTheAutoConfiguredOneBacksOff() {
		this.withDataSource.withUserConfiguration(UserStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(NotifyStore.class);
			assertThat(context.getBean(NotifyStore.class)).isSameAs(context.getBean("userStore"));
			assertThat(tables(context.getBean(DataSource.class))).doesNotContain("NOTIFY_MESSAGE");
			assertThat(context).hasSingleBean(StoreCleanup.class);
			assertThat(context).hasSingleBean(NotifyInbox.class);
		});
	}

	@Test
	void whenTheApplicationDefinesANotifyStoreAndTypeIsJdbcThenNoDataSourceIsNeeded() {
		this.runner.withPropertyValues("notify.stomp.store.type=jdbc")
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context.getBean(NotifyStore.class)).isSameAs(context.getBean("userStore")));
	}

	@Test
	void whenSchemaInitializationIsOffAndTheTablesAreMissingThenStartupFailsNamingTheScript() {
		this.withDataSource.withPropertyValues("notify.stomp.store.jdbc.initialization-mode=never").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StoreSchemaMissingException.class);
			FailureAnalysis analysis = new StoreSchemaMissingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("notify_message", "initialization-mode");
			assertThat(analysis.getAction()).contains("classpath:io/github/notifystomp/store/jdbc/schema-h2.sql",
					"Flyway");
		});
	}

	@Test
	void whenSchemaInitializationIsOffAndTheTablesExistThenTheStoreUsesThemAndCreatesNothing() {
		this.runner.withPropertyValues("notify.stomp.store.jdbc.initialization-mode=never")
			.withUserConfiguration(PreparedDatabaseConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcNotifyStore.class);
				assertThat(context.getBean(NotifyStore.class).save("alice", "a", "text", null, Instant.now()).seq())
					.isEqualTo(1);
			});
	}

	@Test
	void whenATablePrefixIsSetThenTheTablesUseIt() {
		this.withDataSource.withPropertyValues("notify.stomp.store.jdbc.table-prefix=app_notify_").run((context) -> {
			assertThat(tables(context.getBean(DataSource.class))).contains("APP_NOTIFY_MESSAGE", "APP_NOTIFY_USER_SEQ")
				.doesNotContain("NOTIFY_MESSAGE");
			assertThat(context.getBean(NotifyStore.class).save("alice", "a", "text", null, Instant.now()).seq())
				.isEqualTo(1);
		});
	}

	@Test
	void whenTheApplicationDefinesANotifyInboxThenTheDefaultBacksOff() {
		this.runner.withUserConfiguration(UserInboxConfiguration.class)
			.run((context) -> assertThat(context.getBean(NotifyInbox.class)).isSameAs(context.getBean("userInbox")));
	}

	@Test
	void whenTypesAreStrictThenTheReadNoticeTypeIsStillRegistered() {
		this.runner.withPropertyValues("notify.stomp.strict-types=true")
			.run((context) -> assertThat(context.getBean(MessageTypeRegistry.class).payloadClass(NotifyInbox.READ_TYPE))
				.isPresent());
	}

	private static List<String> tables(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForList(
				"SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'", String.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		NotifyStore userStore() {
			return new MemoryNotifyStore(5);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PreparedDatabaseConfiguration {

		@Bean
		DataSource dataSource() {
			DataSource dataSource = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
				.setName("prepared-" + UUID.randomUUID())
				.addScript("classpath:io/github/notifystomp/store/jdbc/schema-h2.sql")
				.build();
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserInboxConfiguration {

		@Bean
		NotifyInbox userInbox() {
			return new NotifyInbox() {

				@Override
				public InboxPage history(String userId, Long beforeSeq, int limit) {
					return new InboxPage(List.of(), null);
				}

				@Override
				public InboxMessage find(String userId, String id) {
					return null;
				}

				@Override
				public long unreadCount(String userId) {
					return 0;
				}

				@Override
				public int markRead(String userId, Collection<String> ids) {
					return 0;
				}

				@Override
				public boolean delete(String userId, String id) {
					return false;
				}

			};
		}

	}

}
