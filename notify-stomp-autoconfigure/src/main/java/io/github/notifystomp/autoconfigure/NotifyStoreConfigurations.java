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

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.notifystomp.autoconfigure.NotifyStompProperties.Store.StoreType;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.MemoryNotifyStore;
import io.github.notifystomp.store.NotifyStore;

/**
 * The store variants {@link NotifyStompStoreAutoConfiguration} imports, in order. They
 * are not member classes of the auto-configuration because member classes are processed
 * before imports, in no guaranteed order, and the memory store must only be the fallback.
 */
abstract class NotifyStoreConfigurations {

	/**
	 * Creates the JDBC store's tables, as notify.stomp.store.jdbc.initialization-mode
	 * says, with Spring Boot's script initializer (Boot 4: spring-boot-jdbc; Boot 3.5:
	 * spring-boot), which Boot runs before every bean that depends on database
	 * initialization, the store included.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStoreType({ StoreType.AUTO, StoreType.JDBC })
	@ConditionalOnClass(value = JdbcTemplate.class,
			name = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer")
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnMissingBean(NotifyStore.class)
	// Boot imports it only with its own SQL initialization (not when spring.sql.init.mode
	// is never); imported twice, it registers itself once
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class JdbcSchemaInitialization {

		@Bean
		NotifyStoreSchemaInitializer notifyStoreSchemaInitializer(DataSource dataSource,
				NotifyStompProperties properties) {
			NotifyStompProperties.Store.Jdbc jdbc = properties.getStore().getJdbc();
			return new NotifyStoreSchemaInitializer(dataSource, jdbc.getInitializationMode(), jdbc.getTablePrefix(),
					properties.getStore().getTimeout());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStoreType({ StoreType.AUTO, StoreType.JDBC })
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean(NotifyStore.class)
		@DependsOnDatabaseInitialization
		JdbcNotifyStore notifyStore(DataSource dataSource, NotifyStompProperties properties) {
			NotifyStompProperties.Store.Jdbc jdbc = properties.getStore().getJdbc();
			JdbcNotifyStore store = new JdbcNotifyStore(dataSource, jdbc.getTablePrefix(),
					properties.getStore().getTimeout(), jdbc.getMaxBatchSize());
			// the tables were created, when the mode asks for it, by
			// notifyStoreSchemaInitializer, which Boot has run before this method
			store.checkSchema();
			return store;
		}

	}

	/**
	 * Fails startup with a clear message when the JDBC store is asked for explicitly but
	 * cannot be built.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStoreType(StoreType.JDBC)
	static class JdbcUnavailable {

		@Bean
		@ConditionalOnMissingBean(NotifyStore.class)
		NotifyStore notifyStoreUnavailable() {
			throw new InvalidNotifyStompPropertyException("notify.stomp.store.type", "jdbc",
					"the JDBC store needs spring-jdbc on the class path and a single DataSource bean (or one marked"
							+ " @Primary), and there is none; configure spring.datasource.*, or use"
							+ " notify.stomp.store.type=memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStoreType({ StoreType.AUTO, StoreType.MEMORY })
	static class Memory {

		@Bean
		@ConditionalOnMissingBean(NotifyStore.class)
		MemoryNotifyStore notifyStore(NotifyStompProperties properties) {
			return new MemoryNotifyStore(properties.getStore().getMemory().getMaxMessagesPerUser());
		}

	}

}
