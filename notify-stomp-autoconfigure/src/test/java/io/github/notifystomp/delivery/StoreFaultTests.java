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
package io.github.notifystomp.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifySendException;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.store.StoreUnavailableException;
import io.github.notifystomp.test.CheckedClient;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.DeliveryChecker;
import io.github.notifystomp.test.TcpProxy;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The store decides what exists (F8, F16 of the reliability notes): a message sent in a
 * transaction that rolls back reaches nobody and is not stored, and a message that cannot
 * be stored fails its send within the store's timeout and reaches nobody, whether the
 * database refuses connections or hangs. The node reaches PostgreSQL through a
 * {@link TcpProxy}, so the test can take the database away or freeze it. The pool keeps
 * its default connection timeout (30 s): the sends fail after
 * {@code notify.stomp.store.timeout} (1 s here) instead.
 */
class StoreFaultTests {

	private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");

	private static TestDatabase database;

	private static TcpProxy databaseLink;

	private static ConfigurableApplicationContext node;

	private static DeliveryChecker checker;

	@BeforeAll
	static void startNode() {
		database = Databases.postgres();
		Matcher address = HOST_PORT.matcher(database.url());
		assertThat(address.find()).as("host and port in %s", database.url()).isTrue();
		databaseLink = TcpProxy.to(address.group(1), Integer.parseInt(address.group(2)));
		String proxied = database.url()
			.replaceFirst(HOST_PORT.pattern(), "jdbc:postgresql://127.0.0.1:" + databaseLink.port() + "/");
		node = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"spring.datasource.url=" + proxied, "spring.datasource.username=" + database.user(),
					"spring.datasource.password=" + database.password(), "spring.datasource.hikari.maximum-pool-size=4",
					"spring.datasource.hikari.minimum-idle=0", "notify.stomp.store.timeout=1s",
					"notify.stomp.store.jdbc.initialization-mode=always")
			.run();
		checker = new DeliveryChecker(database.newDataSource(2));
	}

	@AfterAll
	static void stopNode() {
		if (node != null) {
			node.close();
		}
		if (databaseLink != null) {
			databaseLink.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@Test
	void whenTransactionsRollBackThenTheirMessagesReachNobodyAndAreNotStored() {
		NotifyTemplate template = node.getBean(NotifyTemplate.class);
		TransactionTemplate transaction = new TransactionTemplate(
				new DataSourceTransactionManager(node.getBean(DataSource.class)));
		try (CheckedClient uma = CheckedClient.start("f8-uma", port());
				CheckedClient vic = CheckedClient.start("f8-vic", port())) {
			List<String> rolledBack = new ArrayList<>();
			for (int i = 0; i < 90; i++) {
				String user = (i % 2 == 0) ? "f8-uma" : "f8-vic";
				NotifyMessage message = NotifyMessage.of("text", "message " + i);
				switch (i % 3) {
					case 0 -> transaction.executeWithoutResult((status) -> {
						rolledBack.add(template.sendToUser(user, message).id());
						status.setRollbackOnly();
					});
					case 1 -> transaction.executeWithoutResult((status) -> template.sendToUser(user, message));
					default -> template.sendToUser(user, message);
				}
			}

			DeliveryChecker.Report report = checker.check(List.of(uma, vic), rolledBack, 0, Duration.ofSeconds(30));

			assertThat(rolledBack).hasSize(30);
			assertThat(report.committed()).isEqualTo(60);
			System.out.println("F8: " + rolledBack.size() + " rolled back; " + report);
		}
	}

	@Test
	void whenTheStoreRefusesConnectionsThenSendsFailWithinTheStoreTimeoutAndNothingIsDelivered() {
		storeFaultFailsSends("f16-wes", databaseLink::cut, databaseLink::restore);
	}

	@Test
	void whenTheStoreHangsThenSendsFailWithinTheStoreTimeoutAndNothingIsDeliveredOrHalfWritten() {
		storeFaultFailsSends("f16-hal", databaseLink::freeze, databaseLink::thaw);
	}

	private void storeFaultFailsSends(String user, Runnable fault, Runnable repair) {
		NotifyTemplate template = node.getBean(NotifyTemplate.class);
		try (CheckedClient client = CheckedClient.start(user, port())) {
			for (int i = 0; i < 10; i++) {
				template.sendToUser(user, NotifyMessage.of("text", "before " + i));
			}
			fault.run();
			List<String> failed = new ArrayList<>();
			try {
				for (int i = 0; i < 5; i++) {
					String text = "while the store is away " + i;
					// a generous bound: the pool alone would wait 30 s for a
					// connection, and a hung database forever
					NotifySendException failure = assertThrows(NotifySendException.class,
							() -> assertTimeoutPreemptively(Duration.ofSeconds(10),
									() -> template.sendToUser(user, NotifyMessage.of("text", text))));
					assertThat(failure.getMessage()).contains("notify.stomp.store.timeout");
					assertThat(failure.getSuppressed()).singleElement().isInstanceOf(StoreUnavailableException.class);
					failed.add(failure.getMessageId());
				}
			}
			finally {
				repair.run();
			}
			Awaitility.await("the pool reaches the database again")
				.atMost(Duration.ofSeconds(30))
				.until(StoreFaultTests::databaseAnswers);
			for (int i = 0; i < 5; i++) {
				template.sendToUser(user, NotifyMessage.of("text", "after " + i));
			}

			// failed sends count as rolled back: neither stored nor received
			DeliveryChecker.Report report = checker.check(List.of(client), failed, 0, Duration.ofSeconds(30));

			assertThat(failed).hasSize(5);
			assertThat(report.committed()).isEqualTo(15);
			assertThat(report.received()).isEqualTo(15);
			System.out.println("F16 " + user + ": " + failed.size() + " sends failed; " + report);
		}
	}

	private static boolean databaseAnswers() {
		try (Connection connection = node.getBean(DataSource.class).getConnection()) {
			return connection.isValid(1);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static int port() {
		return TestHttp.port(node);
	}

}
