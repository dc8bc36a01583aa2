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

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.test.NonReadingClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Frame;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays never hold a shared thread while a session does not read, and one user's
 * replays cannot crowd out another's: each session's replays take turns on the replay
 * pool one page at a time, and a replay whose session's outbox is full gives its turn up
 * until there is room.
 */
class ReplayFairnessTests {

	private static final String LARGE = "x".repeat(20_000);

	@Test
	void whenTenSessionsReplayWithoutReadingThenAnotherUsersReplayIsStillFast() throws Exception {
		try (ConfigurableApplicationContext node = new SpringApplicationBuilder(TestApplication.class,
				WideOutboundPool.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"notify.stomp.store.type=memory", "notify.stomp.transport.outbound-queue-limit=20",
					"notify.stomp.transport.send-time-limit=20s")
			.run()) {
			int port = TestHttp.port(node);
			NotifyTemplate template = node.getBean(NotifyTemplate.class);
			LocalSessions sessions = node.getBean(LocalSessions.class);
			for (int i = 0; i < 300; i++) {
				template.sendToUser("r15-hog", NotifyMessage.of("text", LARGE));
			}
			for (int i = 0; i < 5; i++) {
				template.sendToUser("r15-other", NotifyMessage.of("text", "hello " + i));
			}
			List<NonReadingClient> hogs = new ArrayList<>();
			try {
				for (int i = 0; i < 10; i++) {
					NonReadingClient hog = NonReadingClient.connect(port, "valid-r15-hog", 4096);
					hogs.add(hog);
					hog.subscribe("sub-0", "/user/queue/notify", "notify-since:0");
				}
				// every hog's outbox is full (by its byte limit: 20 KB messages): their
				// replays wait for room
				Awaitility.await("the non-reading sessions' outboxes fill")
					.atMost(Duration.ofSeconds(30))
					.until(() -> sessions.sessionsOf("r15-hog")
						.stream()
						.filter((session) -> session.pendingMessages() >= 10)
						.count() == 10);

				try (StompTestClient other = StompTestClient.connect(port, "valid-r15-other")) {
					long start = System.nanoTime();
					Subscription inbox = other.subscribe("/user/queue/notify", Map.of("notify-since", "0"));
					List<Frame> replayed = inbox.next(5);
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(replayed).extracting(Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
					// generous: a replay stuck behind the hogs waited for their send time
					// limit, 20 s each
					assertThat(took).isLessThan(Duration.ofSeconds(2));
					System.out.println("R15: another user's replay took " + took.toMillis()
							+ " ms beside 10 non-reading replaying sessions");
				}
			}
			finally {
				for (NonReadingClient hog : hogs) {
					hog.close();
				}
			}
		}
	}

	/**
	 * Enough outbound threads that ten blocked writes leave some for others: this test is
	 * about the replay pool, not the writes.
	 */
	@Configuration(proxyBeanMethods = false)
	static class WideOutboundPool {

		@Bean
		WebSocketMessageBrokerConfigurer wideOutboundPool() {
			return new WebSocketMessageBrokerConfigurer() {

				@Override
				public void configureClientOutboundChannel(ChannelRegistration registration) {
					ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
					executor.setCorePoolSize(32);
					executor.setMaxPoolSize(32);
					executor.setThreadNamePrefix("test-outbound-");
					executor.setDaemon(true);
					executor.initialize();
					registration.executor(executor);
				}

			};
		}

	}

}
