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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.store.JdbcNotifyStore;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.test.Databases;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestDatabase;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client position the store cannot have handed out (its sequence numbers started again:
 * a restarted in-memory store, a recreated table, or a position beyond the user's last
 * seq) is answered with a {@code notify.reset} message, a replay from the start and live
 * messages, never with silence.
 */
class StoreEpochTests {

	private static final Map<String, String> ACK = Map.of("ack", "client-individual");

	@Test
	void whenTheMemoryStoreRestartsThenAClientWithAnOldPositionIsResetAndGetsLiveMessages() {
		String user = "epoch-mem";
		String oldEpoch;
		long position;
		try (ConfigurableApplicationContext node = node("notify.stomp.store.type=memory")) {
			try (StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
				Subscription inbox = subscribe(client, "0", null);
				awaitSubscribed(node, user);
				send(node, user, 15);
				List<Frame> frames = inbox.next(15);
				position = frames.get(14).seq();
				oldEpoch = frames.get(14).header("notify-epoch");
				assertThat(oldEpoch).isEqualTo(node.getBean(NotifyStore.class).epoch());
				assertThat(frames).allMatch((frame) -> oldEpoch.equals(frame.header("notify-epoch")));
			}
		}
		assertThat(position).isEqualTo(15);

		try (ConfigurableApplicationContext node = node("notify.stomp.store.type=memory");
				StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
			String newEpoch = node.getBean(NotifyStore.class).epoch();
			assertThat(newEpoch).isNotEqualTo(oldEpoch);
			Subscription inbox = subscribe(client, Long.toString(position), oldEpoch);
			Frame reset = inbox.next();
			assertReset(reset, newEpoch, position);
			awaitSubscribed(node, user);
			send(node, user, 8);
			List<Frame> live = inbox.next(8);
			assertThat(live).extracting(Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
			assertThat(live).allMatch((frame) -> newEpoch.equals(frame.header("notify-epoch")));
		}
	}

	@Test
	void whenNotifySinceIsBeyondTheNewestSeqThenTheClientIsResetAndGetsStoredAndLiveMessages() {
		String user = "epoch-ahead";
		try (ConfigurableApplicationContext node = node("notify.stomp.store.type=memory")) {
			send(node, user, 3);
			String epoch = node.getBean(NotifyStore.class).epoch();
			try (StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
				// same epoch, but a position the store never reached: a restored backup
				Subscription inbox = subscribe(client, "40", epoch);
				assertReset(inbox.next(), epoch, 40);
				assertThat(inbox.next(3)).extracting(Frame::seq).containsExactly(1L, 2L, 3L);
				awaitSubscribed(node, user);
				send(node, user, 2);
				assertThat(inbox.next(2)).extracting(Frame::seq).containsExactly(4L, 5L);
			}
			try (StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
				// without an epoch, too
				Subscription inbox = subscribe(client, "9", null);
				assertReset(inbox.next(), epoch, 9);
				assertThat(inbox.next(5)).extracting(Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
			}
			try (StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
				// a valid position of this epoch: no reset
				Subscription inbox = subscribe(client, "3", epoch);
				assertThat(inbox.next(2)).extracting(Frame::seq).containsExactly(4L, 5L);
				inbox.assertNothingWithin(Duration.ofMillis(300));
			}
		}
	}

	@Test
	void whenTheJdbcTablesAreRecreatedThenTheEpochChangesAndAnOldPositionIsReset() {
		String user = "epoch-pg";
		try (TestDatabase database = Databases.postgres()) {
			List<String> properties = new ArrayList<>(List.of(database.springPropertiesCreatingTheSchema()));
			properties.add("notify.stomp.store.type=jdbc");
			try (ConfigurableApplicationContext node = node(properties.toArray(String[]::new))) {
				JdbcNotifyStore store = node.getBean(JdbcNotifyStore.class);
				String oldEpoch = store.epoch();
				send(node, user, 3);
				assertThat(store.epoch()).isEqualTo(oldEpoch);

				// a restore or a DBA recreates the tables: sequences start again
				JdbcTemplate jdbc = new JdbcTemplate(database.newDataSource(1));
				jdbc.execute("DROP TABLE notify_message, notify_user_seq, notify_schema_version");
				store.initializeSchema();
				String newEpoch = store.epoch();
				assertThat(newEpoch).isNotEqualTo(oldEpoch);
				send(node, user, 5);

				try (StompTestClient client = StompTestClient.connect(TestHttp.port(node), "valid-" + user)) {
					// position 3 exists in the new table too: only the epoch tells
					Subscription inbox = subscribe(client, "3", oldEpoch);
					assertReset(inbox.next(), newEpoch, 3);
					List<Frame> replayed = inbox.next(5);
					assertThat(replayed).extracting(Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
					assertThat(replayed).allMatch((frame) -> newEpoch.equals(frame.header("notify-epoch")));
					awaitSubscribed(node, user);
					send(node, user, 1);
					assertThat(inbox.next().seq()).isEqualTo(6L);
				}
			}
		}
	}

	private static void assertReset(Frame reset, String epoch, long previousSince) {
		assertThat(reset.header("notify-reset")).isEqualTo("true");
		assertThat(reset.header("notify-type")).isEqualTo("notify.reset");
		assertThat(reset.header("notify-epoch")).isEqualTo(epoch);
		assertThat(reset.header("ack")).isNull();
		assertThat(reset.seq()).isNull();
		assertThat(reset.body()).contains("\"epoch\":\"" + epoch + "\"", "\"since\":0",
				"\"previousSince\":" + previousSince);
	}

	private static Subscription subscribe(StompTestClient client, String since, String epoch) {
		Map<String, String> headers = new java.util.HashMap<>(ACK);
		headers.put("notify-since", since);
		if (epoch != null) {
			headers.put("notify-epoch", epoch);
		}
		return client.subscribe("/user/queue/notify", headers);
	}

	private static void awaitSubscribed(ConfigurableApplicationContext node, String user) {
		LocalSessions sessions = node.getBean(LocalSessions.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> sessions.sessionsOf(user).stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
	}

	private static void send(ConfigurableApplicationContext node, String user, int count) {
		NotifyTemplate template = node.getBean(NotifyTemplate.class);
		for (int i = 0; i < count; i++) {
			template.sendToUser(user, NotifyMessage.of("text", "message " + i));
		}
	}

	private static ConfigurableApplicationContext node(String... properties) {
		List<String> all = new ArrayList<>(
				List.of("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(TestApplication.class).properties(all.toArray(String[]::new)).run();
	}

}
