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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The results of a run: one table per scenario, the targets with PASS/MISS, profiles and
 * problems; printed as text tables and written as JSON.
 */
final class Report {

	private final Map<String, Object> run = new LinkedHashMap<>();

	private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();

	private final Map<String, String> notes = new LinkedHashMap<>();

	private final List<Map<String, Object>> targets = new ArrayList<>();

	private final Map<String, Object> profiles = new LinkedHashMap<>();

	private final List<String> problems = new ArrayList<>();

	void put(String key, Object value) {
		this.run.put(key, value);
	}

	void row(String table, Map<String, Object> row) {
		this.tables.computeIfAbsent(table, (key) -> new ArrayList<>()).add(row);
	}

	void note(String table, String note) {
		this.notes.merge(table, note, (a, b) -> a + "\n" + b);
	}

	List<Map<String, Object>> rows(String table) {
		return this.tables.getOrDefault(table, List.of());
	}

	void target(String id, String description, String measured, Boolean pass) {
		Map<String, Object> target = new LinkedHashMap<>();
		target.put("id", id);
		target.put("target", description);
		target.put("measured", measured);
		target.put("status", (pass == null) ? "NOT MEASURED" : (pass ? "PASS" : "MISS"));
		this.targets.add(target);
	}

	void profile(String name, Map<String, Object> summary) {
		this.profiles.put(name, summary);
	}

	void problem(String problem) {
		this.problems.add(problem);
	}

	boolean hasProblems() {
		return !this.problems.isEmpty();
	}

	String render(boolean withProfiles) {
		StringBuilder out = new StringBuilder();
		for (Map.Entry<String, List<Map<String, Object>>> table : this.tables.entrySet()) {
			out.append('\n').append(table.getKey()).append('\n');
			out.append(renderTable(table.getValue()));
			String note = this.notes.get(table.getKey());
			if (note != null) {
				for (String line : note.split("\n")) {
					out.append("  note: ").append(line).append('\n');
				}
			}
		}
		if (!this.targets.isEmpty()) {
			out.append("\nTargets\n");
			out.append(renderTable(this.targets));
		}
		if (withProfiles && !this.profiles.isEmpty()) {
			out.append("\nProfiles (JFR execution samples of the server nodes)\n");
			for (Map.Entry<String, Object> profile : this.profiles.entrySet()) {
				out.append("  ").append(profile.getKey()).append('\n');
				if (profile.getValue() instanceof Map<?, ?> summary) {
					for (Map.Entry<?, ?> entry : summary.entrySet()) {
						if (entry.getValue() instanceof List<?> lines) {
							out.append("    ").append(entry.getKey()).append(":\n");
							lines.forEach((line) -> out.append("      ").append(line).append('\n'));
						}
						else {
							out.append("    ")
								.append(entry.getKey())
								.append(": ")
								.append(entry.getValue())
								.append('\n');
						}
					}
				}
			}
		}
		if (!this.problems.isEmpty()) {
			out.append("\nProblems\n");
			this.problems.forEach((problem) -> out.append("  - ").append(problem).append('\n'));
		}
		return out.toString();
	}

	static String renderTable(List<Map<String, Object>> rows) {
		Set<String> columns = new LinkedHashSet<>();
		rows.forEach((row) -> columns.addAll(row.keySet()));
		List<String> header = new ArrayList<>(columns);
		List<List<String>> cells = new ArrayList<>();
		for (Map<String, Object> row : rows) {
			List<String> line = new ArrayList<>();
			for (String column : header) {
				line.add(format(row.get(column)));
			}
			cells.add(line);
		}
		int[] widths = new int[header.size()];
		for (int i = 0; i < header.size(); i++) {
			widths[i] = header.get(i).length();
			for (List<String> line : cells) {
				widths[i] = Math.max(widths[i], line.get(i).length());
			}
		}
		StringBuilder out = new StringBuilder();
		appendLine(out, header, widths);
		List<String> rule = new ArrayList<>();
		for (int width : widths) {
			rule.add("-".repeat(width));
		}
		appendLine(out, rule, widths);
		cells.forEach((line) -> appendLine(out, line, widths));
		return out.toString();
	}

	private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
		out.append("| ");
		for (int i = 0; i < cells.size(); i++) {
			out.append(String.format("%-" + widths[i] + "s", cells.get(i))).append(" | ");
		}
		out.setLength(out.length() - 1);
		out.append('\n');
	}

	static String format(Object value) {
		if (value == null) {
			return "-";
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (Double.isNaN(number)) {
				return "-";
			}
			double magnitude = Math.abs(number);
			if (magnitude >= 1000) {
				return String.format("%,.0f", number);
			}
			if (magnitude >= 100) {
				return String.format("%.0f", number);
			}
			if (magnitude >= 10) {
				return String.format("%.1f", number);
			}
			return String.format("%.2f", number);
		}
		if (value instanceof Long || value instanceof Integer) {
			return String.format("%,d", ((Number) value).longValue());
		}
		return value.toString();
	}

	void write(Path directory, boolean withProfiles) throws IOException {
		Files.createDirectories(directory);
		Map<String, Object> json = new LinkedHashMap<>(this.run);
		Map<String, Object> scenarios = new LinkedHashMap<>();
		this.tables.forEach((name, rows) -> {
			Map<String, Object> table = new LinkedHashMap<>();
			table.put("rows", rows);
			if (this.notes.containsKey(name)) {
				table.put("notes", List.of(this.notes.get(name).split("\n")));
			}
			scenarios.put(name, table);
		});
		json.put("scenarios", scenarios);
		json.put("targets", this.targets);
		json.put("profiles", this.profiles);
		json.put("problems", this.problems);
		JsonMapper.builder()
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build()
			.writeValue(directory.resolve("results.json").toFile(), json);
		Files.writeString(directory.resolve("results.txt"), render(withProfiles));
	}

}
