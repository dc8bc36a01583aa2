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
package io.github.notifystomp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.notifystomp.test.RawStompClient;
import io.github.notifystomp.test.StompTestClient.Subscription;
import io.github.notifystomp.test.StompTestClient;
import io.github.notifystomp.test.TestApplication;
import io.github.notifystomp.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated STOMP frames through the real inbound path: a real server on a
 * random port, one WebSocket per try. Whatever a client sends, the server answers with
 * frames or one ERROR and a close: no uncaught exception in its log (only the refusals of
 * the starter and Spring's own for malformed frames), no MESSAGE to the fuzzing client
 * (nobody sends anything, so any MESSAGE would be a client frame routed to a client),
 * none to a bystander, and no stored row.
 */
class StompFrameFuzzTests {

	// Tomcat's WebSocket client endpoint, which logs a write to a closed connection
	private static final String CLIENT_ENDPOINT = "org.apache.tomcat.websocket.WsRemoteEndpointImplClient";

	private static final List<String> COMMANDS = List.of("CONNECT", "STOMP", "SUBSCRIBE", "UNSUBSCRIBE", "SEND", "ACK",
			"NACK", "DISCONNECT", "BEGIN", "COMMIT", "ABORT", "MESSAGE", "ERROR", "CONNECTED", "RECEIPT", "connect",
			"SUB SCRIBE", "", "\n", "SEND\r");

	private static final List<String> DESTINATIONS = List.of("/user/queue/notify", "/topic/notify", "/app/x",
			"/user/bystander/queue/notify", "/user/queue/notify/../../user/bystander/queue/notify",
			"/queue/notify-user" + "abc", "/queue/**", "/topic/**", "//user/queue/notify", "/user/queue//notify",
			"/user.queue.notify", "/user%2Fbystander%2Fqueue%2Fnotify", "/app/../topic/notify", "/app/%2e%2e/topic",
			"/topic/notify/..", "/app/./x", "", " ", "/", "x".repeat(300), "/app/\u0000", "/topic/notify\nx",
			"/user/bystander/topic/notify");

	private static final List<String> HEADER_NAMES = List.of("destination", "id", "ack", "notify-since", "notify-id",
			"notify-seq", "simpUser", "simpSessionId", "originalDestination", "selector", "receipt", "content-length",
			"content-type", "message-id", "subscription", "transaction", "heart-beat", "accept-version", "host",
			"Authorization", "login", "passcode", "x:y", "", "a\rb");

	private static final List<String> HEADER_VALUES = List.of("", "0", "-1", "9223372036854775808", "abc", "client",
			"client-individual", "auto", "T(java.lang.Runtime).getRuntime().exec('id')", "'a' matches '(a+)+$'",
			"Bearer valid-bystander", "Bearer garbage", "Bearer ", "10,10", "1.2", "text/plain", "\\c\\n\\r\\\\", "\\x",
			"a\u0000b", "y".repeat(5000), "/user/bystander/queue/notify", "5", "999999");

	private static final List<String> BODIES = List.of("", "{}", "{\"to\":\"bystander\"}", "\u0000", "z".repeat(70_000),
			"[1,2,3]", "\r\n\r\n", "MESSAGE\ndestination:/user/bystander/queue/notify\n\nforged\u0000");

	// what a refusal throws: the starter's, Spring's for a frame it cannot parse, the
	// token resolver's for a bad token
	private static final Set<String> REFUSALS = Set.of("io.github.notifystomp.transport.internal.RefusedFrameException",
			"org.springframework.messaging.simp.stomp.StompConversionException",
			"io.github.notifystomp.InvalidTokenException");

	// what Spring wraps them in
	private static final Set<String> WRAPPERS = Set.of("org.springframework.messaging.MessageDeliveryException",
			"org.springframework.messaging.MessagingException");

	// Spring logs refused frames at ERROR without the exception, unless its logger is at
	// DEBUG: then it logs them with the exception, which this test checks
	private static final String STOMP_HANDLER = "org.springframework.web.socket.messaging.StompSubProtocolHandler";

	private static final AtomicInteger tries = new AtomicInteger();

	private static final List<String> problems = new CopyOnWriteArrayList<>();

	private static ConfigurableApplicationContext server;

	private static StompTestClient bystander;

	private static Subscription bystanderInbox;

	private static Subscription bystanderNews;

	private static AppenderBase<ILoggingEvent> logWatch;

	@BeforeContainer
	static void startServer() {
		server = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					// every try connects anew: do not throttle the refused ones
					"notify.stomp.auth.failure-throttle.max-failures=0", "notify.stomp.limits.send-rate=1000",
					"notify.stomp.limits.send-burst=1000")
			.run();
		logWatch = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				if (isUnexpected(event)) {
					problems.add(describe(event));
				}
			}

		};
		logWatch.start();
		root().addAppender(logWatch);
		Logger handler = (Logger) LoggerFactory.getLogger(STOMP_HANDLER);
		handler.setLevel(Level.DEBUG);
		handler.setAdditive(false);
		handler.addAppender(logWatch);
		bystander = StompTestClient.connect(port(), "valid-bystander");
		bystanderInbox = bystander.subscribe("/user/queue/notify");
		bystanderNews = bystander.subscribe("/topic/notify");
	}

	@AfterContainer
	static void stopServer() {
		try {
			// frames still in flight have had their time
			bystanderInbox.assertNothingWithin(Duration.ofMillis(500));
			bystanderNews.assertNothingWithin(Duration.ofMillis(100));
			assertThat(problems).as("unexpected server log entries").isEmpty();
			assertThat(storedRows()).isZero();
			System.out.println("Fuzz: " + tries.get() + " WebSocket sessions of random frames; no leak, no row, no"
					+ " unexpected exception");
		}
		finally {
			Logger handler = (Logger) LoggerFactory.getLogger(STOMP_HANDLER);
			handler.detachAppender(logWatch);
			handler.setAdditive(true);
			handler.setLevel(null);
			root().detachAppender(logWatch);
			bystander.close();
			server.close();
		}
	}

	@Property(tries = 150, seed = "20260601")
	void whateverAClientSendsNothingLeaksNothingIsStoredAndNothingUnexpectedIsThrown(
			@ForAll("sessions") List<String> frames) throws Exception {
		tries.incrementAndGet();
		try (RawStompClient client = RawStompClient.open(port())) {
			for (String frame : frames) {
				if (!client.isOpen()) {
					break;
				}
				try {
					client.text(frame);
				}
				catch (Exception ex) {
					// closed by the server meanwhile
					break;
				}
			}
			List<String> answers = new ArrayList<>();
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
			while (System.nanoTime() < deadline) {
				String answer = client.received().poll(10, TimeUnit.MILLISECONDS);
				if (answer != null) {
					answers.add(answer);
				}
			}
			assertThat(answers).as("frames the server sent").noneMatch((answer) -> answer.startsWith("MESSAGE"));
		}
		assertThat(problems).as("unexpected server log entries").isEmpty();
	}

	@Provide
	Arbitrary<List<String>> sessions() {
		Arbitrary<String> first = Arbitraries.frequencyOf(
				net.jqwik.api.Tuple.of(8, Arbitraries.just(connect("valid-fuzzer"))),
				net.jqwik.api.Tuple.of(1, Arbitraries.of(connect("garbage"), connect("expired-fuzzer"), connect(""))),
				net.jqwik.api.Tuple.of(1, frame()));
		Arbitrary<List<String>> rest = Arbitraries.oneOf(seed(), frame()).list().ofMinSize(0).ofMaxSize(6);
		return Combinators.combine(first, rest).as((head, tail) -> {
			List<String> frames = new ArrayList<>();
			frames.add(head);
			frames.addAll(tail);
			return frames;
		});
	}

	// a valid frame of the seed corpus
	private Arbitrary<String> seed() {
		return Arbitraries.of(frame("SUBSCRIBE", List.of("id:0", "destination:/user/queue/notify"), ""),
				frame("SUBSCRIBE", List.of("id:1", "destination:/topic/notify", "ack:client-individual"), ""),
				frame("SUBSCRIBE", List.of("id:2", "destination:/user/queue/notify", "notify-since:0"), ""),
				frame("SEND", List.of("destination:/app/x", "content-type:application/json"), "{}"),
				frame("ACK", List.of("id:abc"), ""), frame("NACK", List.of("id:abc"), ""),
				frame("UNSUBSCRIBE", List.of("id:0"), ""), frame("DISCONNECT", List.of("receipt:r1"), ""));
	}

	// a frame with a random command, headers and body
	private Arbitrary<String> frame() {
		Arbitrary<String> header = Arbitraries.oneOf(
				Arbitraries.of(DESTINATIONS).map((destination) -> "destination:" + destination),
				Combinators.combine(Arbitraries.of(HEADER_NAMES), Arbitraries.of(HEADER_VALUES))
					.as((name, value) -> name + ":" + value),
				Arbitraries.strings().ofMaxLength(40));
		Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.of(BODIES), Arbitraries.strings().ofMaxLength(200));
		return Combinators
			.combine(Arbitraries.of(COMMANDS), header.list().ofMaxSize(8), body, Arbitraries.integers().between(0, 9))
			.as((command, headers, text, shape) -> {
				String frame = frame(command, headers, text);
				return switch (shape) {
					// no NUL at the end: the server waits for the rest
					case 0 -> frame.substring(0, frame.length() - 1);
					// two frames in one WebSocket message
					case 1 -> frame + frame;
					// CR LF line ends
					case 2 -> frame.replace("\n", "\r\n");
					default -> frame;
				};
			});
	}

	private static String frame(String command, List<String> headers, String body) {
		StringBuilder frame = new StringBuilder(command).append('\n');
		headers.forEach((header) -> frame.append(header).append('\n'));
		return frame.append('\n').append(body).append('\u0000').toString();
	}

	private static String connect(String token) {
		return frame("CONNECT",
				List.of("accept-version:1.2", "heart-beat:0,0", "host:localhost", "Authorization:Bearer " + token), "");
	}

	// an exception in the log that is not a refusal, or an error without one
	static boolean isUnexpected(ILoggingEvent event) {
		if (event.getLoggerName().equals(CLIENT_ENDPOINT)) {
			// the test's own client, writing to a connection the server closed
			return false;
		}
		IThrowableProxy failure = event.getThrowableProxy();
		if (failure == null) {
			return event.getLevel().isGreaterOrEqual(Level.ERROR);
		}
		if (!event.getLevel().isGreaterOrEqual(Level.WARN) && !(event.getLoggerName().equals(STOMP_HANDLER)
				&& event.getMessage().startsWith("Failed to send message to MessageChannel"))) {
			// a write to a client that already went away, at DEBUG
			return false;
		}
		for (IThrowableProxy cause = failure; cause != null; cause = cause.getCause()) {
			if (WRAPPERS.contains(cause.getClassName())) {
				continue;
			}
			return !isRefusal(cause);
		}
		return true;
	}

	private static boolean isRefusal(IThrowableProxy cause) {
		if (REFUSALS.contains(cause.getClassName())) {
			return true;
		}
		String message = String.valueOf(cause.getMessage());
		// frames before CONNECT, and a second CONNECT (CVE-2025-41254)
		if (cause.getClassName().equals("java.lang.IllegalStateException")) {
			return message.startsWith("Unknown session") || message.startsWith("Session already exists");
		}
		// Spring's decoder takes the command with
		// StompCommand.valueOf: an unknown command
		return cause.getClassName().equals("java.lang.IllegalArgumentException")
				&& message.startsWith("No enum constant org.springframework.messaging.simp.stomp.StompCommand.");
	}

	private static String describe(ILoggingEvent event) {
		StringBuilder text = new StringBuilder().append(event.getLevel())
			.append(' ')
			.append(event.getLoggerName())
			.append(": ")
			.append(event.getFormattedMessage());
		for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
			text.append(" <- ").append(cause.getClassName()).append(": ").append(cause.getMessage());
		}
		return text.toString();
	}

	private static long storedRows() {
		Integer rows = new JdbcTemplate(server.getBean(DataSource.class))
			.queryForObject("SELECT COUNT(*) FROM notify_message", Integer.class);
		return (rows != null) ? rows : 0;
	}

	private static int port() {
		return TestHttp.port(server);
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

}
