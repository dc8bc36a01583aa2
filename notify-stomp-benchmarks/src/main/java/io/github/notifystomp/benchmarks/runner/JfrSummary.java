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

package io.github.notifystomp.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of a server node ({@code jdk.ExecutionSample} events, as
 * {@code jfr print --events jdk.ExecutionSample} shows them): the hottest methods by self
 * samples, the share of samples per component, and the library methods whose calls
 * (themselves and below) take the most samples.
 */
final class JfrSummary {

	private static final String LIBRARY = "io.github.notifystomp.";

	private static final String BENCHMARKS = "io.github.notifystomp.benchmarks.";

	// a decorator every WebSocket write passes through: attributing the write to it
	// would hide what the library itself costs
	private static final String PASS_THROUGH = "io.github.notifystomp.transport.internal.ClientConnection.";

	// components by package prefix (first match wins)
	private static final String[][] MARKERS = {
			{ "org.apache.tomcat.websocket.WsRemoteEndpointImplBase.", "Tomcat (WebSocket frames, socket I/O)" },
			{ "org.springframework.messaging.simp.stomp.StompEncoder.", "STOMP encoding" },
			{ "org.springframework.messaging.simp.stomp.StompDecoder.", "STOMP decoding" },
			{ "org.redisson.", "Redis client (Redisson)" }, { "io.netty.", "Netty (Redis/RabbitMQ connections)" },
			{ "reactor.netty.", "Netty (Redis/RabbitMQ connections)" }, { "tools.jackson.", "JSON (Jackson)" },
			{ "java.security.SecureRandom.", "SecureRandom" }, { "io.micrometer.", "metrics (Micrometer)" },
			{ "org.springframework.jdbc.", "JDBC" }, { "org.postgresql.", "JDBC" }, { "org.h2.", "JDBC" },
			{ "org.springframework.messaging.simp.broker.", "simple broker (routing, subscriptions)" },
			{ "org.springframework.messaging.simp.user.", "user destinations (Spring)" },
			{ "org.springframework.messaging.support.", "message headers and channels (Spring)" },
			{ "org.springframework.web.socket.", "STOMP/WebSocket session handling (Spring)" },
			{ "org.apache.tomcat.", "Tomcat (WebSocket frames, socket I/O)" },
			{ "org.apache.coyote.", "Tomcat (WebSocket frames, socket I/O)" } };

	private JfrSummary() {
	}

	static Map<String, Object> summarize(List<Path> recordings, int top) {
		Map<String, Long> self = new HashMap<>();
		Map<String, Long> components = new HashMap<>();
		Map<String, Long> library = new HashMap<>();
		Map<String, Long> inclusive = new HashMap<>();
		long samples = 0;
		for (Path recording : recordings) {
			try (RecordingFile file = new RecordingFile(recording)) {
				while (file.hasMoreEvents()) {
					RecordedEvent event = file.readEvent();
					if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
						continue;
					}
					RecordedStackTrace stack = event.getStackTrace();
					if (stack == null || stack.getFrames().isEmpty()) {
						continue;
					}
					samples++;
					List<RecordedFrame> frames = stack.getFrames();
					String topMethod = method(frames.get(0));
					self.merge(topMethod, 1L, Long::sum);
					components.merge(component(topMethod), 1L, Long::sum);
					for (RecordedFrame frame : frames) {
						String name = method(frame);
						if (name.startsWith(LIBRARY) && !name.startsWith(BENCHMARKS)
								&& !name.startsWith(PASS_THROUGH)) {
							library.merge(name, 1L, Long::sum);
							break;
						}
					}
					inclusive.merge(marker(frames), 1L, Long::sum);
				}
			}
			catch (IOException ex) {
				return Map.of("error", "unreadable recording " + recording + ": " + ex.getMessage());
			}
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("recordings", recordings.stream().map(Path::toString).toList());
		summary.put("samples", samples);
		summary.put("selfTimeByNearestComponent", shares(inclusive, samples, 20));
		summary.put("componentsBySelfSamples", shares(components, samples, 12));
		summary.put("hotMethodsBySelfSamples", shares(self, samples, top));
		long inLibrary = library.values().stream().mapToLong(Long::longValue).sum();
		summary.put("samplesWithNotifyStompOnStack", percent(inLibrary, samples));
		summary.put("notifyStompMethodsClosestToTheTop", shares(library, samples, top));
		return summary;
	}

	private static List<String> shares(Map<String, Long> counts, long total, int top) {
		List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
		entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(top, entries.size()))) {
			lines.add(percent(entry.getValue(), total) + " " + entry.getKey());
		}
		return lines;
	}

	private static String percent(long count, long total) {
		return String.format("%5.1f%%", (total > 0) ? 100.0 * count / total : 0.0);
	}

	private static String method(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	// the nearest frame (from the top) that belongs to a known component; JDK frames
	// are utilities of whatever called them, so they are skipped
	private static String marker(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String name = method(frame);
			if (name.startsWith(PASS_THROUGH)) {
				continue;
			}
			for (String[] rule : MARKERS) {
				if (name.startsWith(rule[0])) {
					return rule[1];
				}
			}
			if (name.startsWith(BENCHMARKS)) {
				return "benchmark harness (sender loop)";
			}
			if (name.startsWith(LIBRARY)) {
				return "notify-stomp";
			}
			if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
				return component(name);
			}
		}
		return "jdk (other)";
	}

	private static String component(String method) {
		String[][] rules = { { BENCHMARKS, "benchmark harness" }, { LIBRARY, "notify-stomp" },
				{ "org.springframework.messaging.", "spring-messaging" },
				{ "org.springframework.web.socket.", "spring-websocket" }, { "org.springframework.", "spring (other)" },
				{ "org.apache.tomcat.", "tomcat" }, { "org.apache.coyote.", "tomcat" }, { "tools.jackson.", "jackson" },
				{ "org.redisson.", "redisson" }, { "io.netty.", "netty" }, { "reactor.", "reactor" },
				{ "io.micrometer.", "micrometer" }, { "java.util.concurrent.", "java.util.concurrent" },
				{ "sun.nio.", "nio" }, { "java.nio.", "nio" }, { "java.util.regex.", "java.util.regex" },
				{ "java.", "jdk (other)" }, { "jdk.", "jdk (other)" }, { "sun.", "jdk (other)" } };
		for (String[] rule : rules) {
			if (method.startsWith(rule[0])) {
				return rule[1];
			}
		}
		return "other";
	}

}
