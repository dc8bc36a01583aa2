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

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.catalina.connector.Connector;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ReflectionUtils;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.delivery.internal.LocalSessions;
import io.github.notifystomp.delivery.internal.SlowConsumerThrottle;
import io.github.notifystomp.test.NonReadingClient;
import io.github.notifystomp.test.NotifyStompServerTest;
import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many sessions that never read, of one user or of many, while messages are sent to them
 * (R1 of issue 13): they hold no shared thread, so another user's messages stay fast;
 * they are closed as slow consumers, and a user whose sessions keep being closed so is
 * refused at CONNECT for a while.
 */
@NotifyStompServerTest(classes = { TestApplication.class, NonReadingSessionsTests.SmallSendBuffers.class },
		properties = { "notify.stomp.transport.send-time-limit=3s",
				"notify.stomp.transport.send-buffer-size-limit=16KB", "notify.stomp.transport.outbound-queue-limit=100",
				"notify.stomp.transport.slow-consumer-throttle.max-closes=5", "spring.jmx.enabled=false" })
class NonReadingSessionsTests {

	// a few of them fill the small socket buffers and the outbox
	private static final String LARGE = "x".repeat(4_000);

	private static final int PROBES = 200;

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	@Autowired
	LocalSessions sessions;

	@Test
	void whenOneUserHoldsTenSessionsThatDoNotReadThenAnotherUsersMessagesStayFast() throws Exception {
		assertOthersStayFast(1, 10);
	}

	@Test
	void whenTenUsersHoldAHundredSessionsThatDoNotReadThenAnotherUsersMessagesStayFast() throws Exception {
		assertOthersStayFast(10, 10);
	}

	@Test
	void whenAUsersSessionsKeepBeingClosedAsSlowConsumersThenItsConnectsAreRefusedForAWhile() throws Exception {
		String user = "churner-" + UUID.randomUUID().toString().substring(0, 8);
		List<NonReadingClient> frozen = openFrozen(List.of(user), 6);
		try {
			flood(List.of(user), () -> this.sessions.sessionCount(user) == 0);
		}
		finally {
			closeAll(frozen);
		}
		try (RawStompClient raw = RawStompClient.open(this.port)) {
			raw.frame("CONNECT", "", "accept-version:1.2", "heart-beat:0,0", "host:localhost",
					"Authorization:Bearer valid-" + user);
			assertThat(raw.awaitError()).isEqualTo(SlowConsumerThrottle.TOO_MANY_SLOW_SESSIONS);
			raw.awaitClosed();
		}
		// nobody else is refused
		try (RawStompClient other = RawStompClient.open(this.port)) {
			other.connect("valid-bystander-" + UUID.randomUUID().toString().substring(0, 8));
		}
	}

	private void assertOthersStayFast(int userCount, int sessionsPerUser) throws Exception {
		String prefix = "frozen-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		List<String> users = new ArrayList<>();
		for (int i = 0; i < userCount; i++) {
			users.add(prefix + i);
		}
		String steady = "steady-" + UUID.randomUUID().toString().substring(0, 8);
		// one frozen session flooded until it is closed first: the close path
		// runs for the first time before the probes, not during them
		String warmUp = prefix + "warm-up";
		List<NonReadingClient> warmUpClients = openFrozen(List.of(warmUp), 1);
		flood(List.of(warmUp), () -> this.sessions.sessionCount(warmUp) == 0);
		closeAll(warmUpClients);
		List<NonReadingClient> frozen = openFrozen(users, sessionsPerUser);
		try (StompTestClient other = StompTestClient.connect(this.port, "valid-" + steady)) {
			Subscription inbox = other.subscribe("/user/queue/notify");
			Awaitility.await()
				.atMost(StompTestClient.TIMEOUT)
				.until(() -> this.sessions.sessionsOf(steady).stream().anyMatch((s) -> s.userSubscriptionCount() > 0));
			// warm the paths up first: the probes measure waiting, not the
			// first run of code
			for (int i = 0; i < 20; i++) {
				this.notifyTemplate.sendToUser(steady, NotifyMessage.of("text", "warm-up " + i));
				inbox.next();
			}
			for (String user : users) {
				this.notifyTemplate.sendToUser(user,
						NotifyMessage.builder("text").payload("hi").transientMessage().build());
			}
			AtomicBoolean stop = new AtomicBoolean();
			Thread flooder = new Thread(() -> flood(users, stop::get), "flooder");
			flooder.start();

			// probes at a fixed rate, as other users' messages come: a stalled
			// thread delays every probe sent while it stalls, not just one
			AtomicLongArray sentAt = new AtomicLongArray(PROBES);
			Thread prober = new Thread(() -> {
				for (int i = 0; i < PROBES && !stop.get(); i++) {
					sentAt.set(i, System.nanoTime());
					this.notifyTemplate.sendToUser(steady, NotifyMessage.of("text", "probe-" + i + "-"));
					try {
						Thread.sleep(10);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "prober");
			long[] latencies = new long[PROBES];
			try {
				prober.start();
				for (int i = 0; i < PROBES; i++) {
					String body = inbox.next().body();
					long arrived = System.nanoTime();
					int from = body.indexOf("probe-") + 6;
					int probe = Integer.parseInt(body.substring(from, body.indexOf('-', from)));
					latencies[i] = (arrived - sentAt.get(probe)) / 1_000_000;
				}
			}
			finally {
				stop.set(true);
				flooder.join();
				prober.join();
			}
			java.util.Arrays.sort(latencies);
			long p99 = latencies[(int) Math.ceil(PROBES * 0.99) - 1];
			System.out.println("R1: " + userCount * sessionsPerUser + " non-reading sessions; another user's p50 "
					+ latencies[PROBES / 2] + " ms, p99 " + p99 + " ms, max " + latencies[PROBES - 1] + " ms");
			// a message that waited for a stuck write would wait for the whole send time
			// limit (3 s), and so would every probe behind it; how fast a message
			// arrives is the benchmark's business, on a machine this test does not own
			assertThat(p99).as("p99 of another user's messages, in ms: none waited for a stuck write").isLessThan(1500);
			// the frozen sessions were closed as slow consumers, not left to
			// hold anything
			flood(users, () -> users.stream().allMatch((user) -> this.sessions.sessionCount(user) == 0));
		}
		finally {
			closeAll(frozen);
		}
	}

	private List<NonReadingClient> openFrozen(List<String> users, int sessionsPerUser) throws Exception {
		List<NonReadingClient> frozen = new ArrayList<>();
		for (String user : users) {
			for (int i = 0; i < sessionsPerUser; i++) {
				NonReadingClient client = NonReadingClient.connect(this.port, "valid-" + user, 4096);
				frozen.add(client);
				client.subscribe("sub-0", "/user/queue/notify");
			}
		}
		Awaitility.await()
			.atMost(StompTestClient.TIMEOUT)
			.until(() -> users.stream()
				.allMatch((user) -> this.sessions.sessionsOf(user)
					.stream()
					.filter((s) -> s.userSubscriptionCount() > 0)
					.count() == sessionsPerUser));
		return frozen;
	}

	// sends large messages to the users until told to stop, at most for the test timeout
	private void flood(List<String> users, java.util.function.BooleanSupplier done) {
		NotifyMessage large = NotifyMessage.builder("text").payload(LARGE).transientMessage().build();
		long deadline = System.nanoTime() + 4 * StompTestClient.TIMEOUT.toNanos();
		while (!done.getAsBoolean()) {
			assertThat(System.nanoTime()).as("flood deadline").isLessThan(deadline);
			// a steady stream, about 30 messages a second per frozen user
			for (String user : users) {
				this.notifyTemplate.sendToUser(user, large);
				try {
					Thread.sleep(Math.max(1, 30 / users.size()));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Small, fixed socket send buffers on the server, so that a client that does not read
	 * blocks the server's writes after a few messages instead of after the megabytes the
	 * kernel's auto-tuning allows: what the test shows does not depend on the size, only
	 * how much it has to send first. Through reflection, as Spring Boot 3.5 and 4 keep
	 * Tomcat's customizer types in different packages.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSendBuffers {

		@Bean
		WebServerFactoryCustomizer<WebServerFactory> smallSendBuffers() {
			return (factory) -> {
				Method add = ReflectionUtils.findMethod(factory.getClass(), "addConnectorCustomizers",
						(Class<?>[]) null);
				assertThat(add).as("a Tomcat web server factory").isNotNull();
				Class<?> customizerType = add.getParameterTypes()[0].getComponentType();
				Object customizer = Proxy.newProxyInstance(customizerType.getClassLoader(),
						new Class<?>[] { customizerType }, (proxy, method, args) -> {
							if (method.getName().equals("customize")) {
								((Connector) args[0]).setProperty("socket.txBufSize", "4096");
								return null;
							}
							return method.invoke(this, args);
						});
				Object customizers = Array.newInstance(customizerType, 1);
				Array.set(customizers, 0, customizer);
				ReflectionUtils.invokeMethod(add, factory, customizers);
			};
		}

	}

	private static void closeAll(List<NonReadingClient> clients) throws Exception {
		for (NonReadingClient client : clients) {
			client.close();
		}
	}

}
