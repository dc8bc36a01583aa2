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

import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.notifystomp.MessageTypeRegistryCustomizer;
import io.github.notifystomp.NotifyInbox;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.DeliveryTasks;
import io.github.notifystomp.store.DefaultNotifyInbox;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.internal.StoreCleanup;

/**
 * Auto-configuration for the message store, chosen by {@code notify.stomp.store.type}:
 * JDBC when a {@code DataSource} exists (for {@code auto}), otherwise this node's memory;
 * or none. A {@link NotifyStore} bean of the application's own wins. Runs before the core
 * auto-configuration, which uses whatever store is defined.
 */
@AutoConfiguration(before = NotifyStompAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration" })
@ConditionalOnNotifyStompEnabled
@EnableConfigurationProperties(NotifyStompProperties.class)
// in this order: the JDBC store's tables, the JDBC store, else the failure for
// an explicit jdbc type, else memory
@Import({ NotifyStoreConfigurations.JdbcSchemaInitialization.class, NotifyStoreConfigurations.Jdbc.class,
		NotifyStoreConfigurations.JdbcUnavailable.class, NotifyStoreConfigurations.Memory.class })
public class NotifyStompStoreAutoConfiguration {

	@Bean
	@ConditionalOnBean(NotifyStore.class)
	StoreCleanup notifyStoreCleanup(NotifyStore store, DeliveryTasks tasks, NotifyStompProperties properties) {
		return new StoreCleanup(store, tasks.scheduler(), properties.getStore().getRetention(),
				properties.getStore().getCleanupInterval());
	}

	@Bean
	@ConditionalOnBean(NotifyStore.class)
	@ConditionalOnMissingBean(NotifyInbox.class)
	DefaultNotifyInbox notifyInbox(NotifyStore store, NotifyTemplate template) {
		return new DefaultNotifyInbox(store, template);
	}

	@Bean
	@ConditionalOnBean(NotifyStore.class)
	MessageTypeRegistryCustomizer notifyInboxMessageTypes() {
		return (registry) -> registry.register(NotifyInbox.READ_TYPE, Map.class);
	}

}
