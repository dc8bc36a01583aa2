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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the configuration metadata users see in their IDE and the documented properties:
 * every property has a description, every deprecated one names its replacement, the
 * README or a page of docs/ (docs/configuration.md has the full table) lists every
 * property; and the store's DDL in docs/schema, linked from the README, is what the
 * starter runs.
 */
class ConfigurationDocumentationTests {

	private static final Pattern CODE_BLOCK = Pattern.compile("```.*?```", Pattern.DOTALL);

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	@Test
	void whenTheMetadataIsGeneratedThenEveryPropertyHasADescription() throws IOException {
		for (JsonNode property : properties()) {
			assertThat(property.path("description").asText()).as(property.get("name").asText()).isNotBlank();
		}
	}

	@Test
	void whenAPropertyIsDeprecatedThenTheMetadataNamesAReplacementThatExists() throws IOException {
		List<String> names = new ArrayList<>();
		properties().forEach((property) -> names.add(property.get("name").asText()));
		List<JsonNode> deprecated = new ArrayList<>();
		for (JsonNode property : properties()) {
			if (property.path("deprecated").asBoolean()) {
				deprecated.add(property);
				String replacement = property.path("deprecation").path("replacement").asText();
				assertThat(names).as("replacement of " + property.get("name").asText()).contains(replacement);
			}
		}
		Map<String, String> replacements = new LinkedHashMap<>();
		deprecated.forEach((property) -> replacements.put(property.get("name").asText(),
				property.path("deprecation").path("replacement").asText()));
		assertThat(replacements)
			.containsEntry("notify.stomp.store.jdbc.initialize-schema", "notify.stomp.store.jdbc.initialization-mode")
			.containsEntry("notify.stomp.max-payload-size", "notify.stomp.limits.max-payload-size")
			.containsEntry("notify.stomp.auth.max-sessions-per-user", "notify.stomp.limits.max-sessions-per-user")
			.containsEntry("notify.stomp.delivery.max-unacked-per-subscription",
					"notify.stomp.limits.max-unacked-per-subscription");
	}

	@Test
	void whenTheDocumentationIsReadThenItListsEveryProperty() throws IOException {
		String text = documentation();
		List<String> missing = new ArrayList<>();
		for (JsonNode property : properties()) {
			String name = property.get("name").asText();
			if (!text.contains("`" + name + "`")) {
				missing.add(name);
			}
		}
		assertThat(missing).as("properties missing from README.md and docs/*.md").isEmpty();
	}

	@Test
	void whenTheReadmeIsReadThenItLinksTheFullPropertyList() throws IOException {
		assertThat(Files.readString(Path.of("..", "README.md"))).contains("(docs/configuration.md)");
		assertThat(Path.of("..", "docs", "configuration.md")).exists();
	}

	@Test
	void whenTheDocumentationLinksAFileOrAHeadingThenItExists() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md"), Path.of("..", "DEVELOPERS.md")));
		try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		for (String module : new String[] { "notify-stomp-benchmarks", "notify-stomp-sample", "notify-stomp-client" }) {
			pages.add(Path.of("..", module, "README.md"));
		}
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			String text = CODE_BLOCK.matcher(Files.readString(page)).replaceAll("");
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				Path linked = file.isEmpty() ? page : page.resolveSibling(file).normalize();
				if (!Files.exists(linked)) {
					broken.add(page + ": " + target);
				}
				else if (hash >= 0 && !headings(linked).contains(target.substring(hash + 1))) {
					broken.add(page + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).as("links to files or headings that do not exist").isEmpty();
	}

	@Test
	void whenTheReadmeIsReadThenItIsShortAndTheDesignLivesInDocs() throws IOException {
		assertThat(Files.readAllLines(Path.of("..", "README.md"))).hasSizeLessThan(360);
	}

	@Test
	void whenAMigrationToolNeedsTheDdlThenTheRepositoryFilesAreTheOnesTheStoreRuns() throws IOException {
		for (String database : new String[] { "postgresql", "mariadb", "h2" }) {
			Path file = Path.of("..", "docs", "schema", "schema-" + database + ".sql");
			assertThat(file).exists();
			String shipped = new String(
					new ClassPathResource("io/github/notifystomp/store/jdbc/schema-" + database + ".sql")
						.getInputStream()
						.readAllBytes(),
					StandardCharsets.UTF_8);
			assertThat(shipped).isEqualTo(Files.readString(file));
			assertThat(Files.readString(Path.of("..", "README.md")))
				.contains("(docs/schema/schema-" + database + ".sql)");
		}
	}

	// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens
	private static List<String> headings(Path page) throws IOException {
		List<String> anchors = new ArrayList<>();
		for (String line : CODE_BLOCK.matcher(Files.readString(page)).replaceAll("").split("\n")) {
			if (line.startsWith("#")) {
				anchors.add(line.replaceFirst("^#+\\s*", "")
					.trim()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\w\\- ]", "")
					.replace(' ', '-'));
			}
		}
		return anchors;
	}

	// the README and the pages it links under docs/, where the long tables live
	private static String documentation() throws IOException {
		Path readme = Path.of("..", "README.md");
		assertThat(readme).exists();
		StringBuilder text = new StringBuilder(Files.readString(readme));
		try (Stream<Path> pages = Files.list(Path.of("..", "docs"))) {
			for (Path page : pages.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				text.append('\n').append(Files.readString(page));
			}
		}
		return text.toString();
	}

	private static List<JsonNode> properties() throws IOException {
		// this module's own metadata, not the first of the many on the classpath
		Path file = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
		assertThat(file).as("configuration metadata generated by the build").exists();
		try (InputStream metadata = Files.newInputStream(file)) {
			List<JsonNode> properties = new ArrayList<>();
			new ObjectMapper().readTree(metadata).get("properties").forEach((property) -> {
				if (property.get("name").asText().startsWith("notify.stomp.")) {
					properties.add(property);
				}
			});
			assertThat(properties).isNotEmpty();
			return properties;
		}
	}

}
