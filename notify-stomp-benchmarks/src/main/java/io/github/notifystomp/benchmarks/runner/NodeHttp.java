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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to the nodes' benchmark and Actuator endpoints.
 */
final class NodeHttp {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper mapper = JsonMapper.builder().build();

	ObjectMapper mapper() {
		return this.mapper;
	}

	JsonNode get(int port, String path) {
		return read(send(request(port, path).GET().build()), port, path);
	}

	JsonNode post(int port, String path, Object body) {
		return read(send(post(port, path, body, Duration.ofMinutes(5))), port, path);
	}

	CompletableFuture<JsonNode> postAsync(int port, String path, Object body) {
		return this.http.sendAsync(post(port, path, body, Duration.ofMinutes(5)), HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> read(response, port, path));
	}

	/**
	 * Return the status of a GET, or -1 if the node does not answer.
	 */
	int status(int port, String path) {
		try {
			return this.http
				.send(request(port, path).timeout(Duration.ofSeconds(2)).GET().build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Return the count of an Actuator counter, 0 if the meter does not exist yet.
	 */
	double counter(int port, String name) {
		HttpResponse<String> response = send(request(port, "/actuator/metrics/" + name).GET().build());
		if (response.statusCode() == 404) {
			return 0;
		}
		JsonNode json = read(response, port, "/actuator/metrics/" + name);
		for (JsonNode measurement : json.path("measurements")) {
			if ("COUNT".equals(measurement.path("statistic").asString())) {
				return measurement.path("value").asDouble();
			}
		}
		return 0;
	}

	/**
	 * Return the count of an Actuator counter per value of one of its tags, empty if the
	 * meter does not exist yet.
	 */
	Map<String, Double> counterByTag(int port, String name, String tag) {
		HttpResponse<String> response = send(request(port, "/actuator/metrics/" + name).GET().build());
		if (response.statusCode() == 404) {
			return Map.of();
		}
		Map<String, Double> counts = new TreeMap<>();
		for (JsonNode available : read(response, port, "/actuator/metrics/" + name).path("availableTags")) {
			if (tag.equals(available.path("tag").asString())) {
				for (JsonNode value : available.path("values")) {
					String text = value.asString();
					counts.put(text, counter(port,
							name + "?tag=" + URLEncoder.encode(tag + ":" + text, StandardCharsets.UTF_8)));
				}
			}
		}
		return counts;
	}

	private HttpRequest post(int port, String path, Object body, Duration timeout) {
		String json = (body != null) ? this.mapper.writeValueAsString(body) : "";
		return request(port, path).timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private JsonNode read(HttpResponse<String> response, int port, String path) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					"http://127.0.0.1:" + port + path + " answered " + response.statusCode() + ": " + response.body());
		}
		try {
			return response.body().isEmpty() ? this.mapper.createObjectNode() : this.mapper.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Unreadable answer of " + path + ": " + ex, ex);
		}
	}

}
