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
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bean a user may replace (one with {@code @ConditionalOnMissingBean}) is
 * documented as an extension point, so that replacing an internal is never an accident of
 * the auto-configuration.
 */
class ExtensionPointsDocumentationTests {

	@Test
	void everyReplaceableBeanIsDocumented() throws Exception {
		Path readme = Path.of("..", "README.md");
		// the compatibility modules, which run this test-jar elsewhere, leave
		// this test out
		assertThat(readme).as("the README, read from the module's directory").exists();
		StringBuilder docs = new StringBuilder(Files.readString(readme));
		Path docsDir = Path.of("..", "docs");
		if (Files.isDirectory(docsDir)) {
			try (Stream<Path> files = Files.walk(docsDir)) {
				for (Path file : files.filter((file) -> file.toString().endsWith(".md")).toList()) {
					docs.append(Files.readString(file));
				}
			}
		}
		List<String> missing = new ArrayList<>();
		for (String name : replaceableBeans()) {
			if (!docs.toString().contains("`" + name + "`")) {
				missing.add(name);
			}
		}
		assertThat(missing).as("replaceable beans missing from the README's extension points").isEmpty();
	}

	private static Set<String> replaceableBeans() throws IOException, ClassNotFoundException {
		Set<String> names = new LinkedHashSet<>();
		for (Class<?> configuration : configurations()) {
			collect(configuration, configuration, names);
			for (Method method : configuration.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Bean.class)) {
					collect(method, method.getReturnType(), names);
				}
			}
		}
		return names;
	}

	private static void collect(AnnotatedElement element, Class<?> type, Set<String> names) {
		ConditionalOnMissingBean condition = element.getAnnotation(ConditionalOnMissingBean.class);
		if (condition == null) {
			return;
		}
		Arrays.stream(condition.value()).map(Class::getSimpleName).forEach(names::add);
		names.addAll(Arrays.asList(condition.name()));
		if (condition.value().length == 0 && condition.name().length == 0) {
			names.add(type.getSimpleName());
		}
	}

	// the auto-configurations with their nested and imported configurations
	private static Set<Class<?>> configurations() throws IOException, ClassNotFoundException {
		Set<Class<?>> result = new LinkedHashSet<>();
		Enumeration<URL> files = ExtensionPointsDocumentationTests.class.getClassLoader()
			.getResources("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
		while (files.hasMoreElements()) {
			try (InputStream in = files.nextElement().openStream()) {
				for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
					String name = line.strip();
					if (name.startsWith("io.github.notifystomp.autoconfigure.NotifyStomp")) {
						add(Class.forName(name), result);
					}
				}
			}
		}
		return result;
	}

	private static void add(Class<?> configuration, Set<Class<?>> result) {
		if (!result.add(configuration)) {
			return;
		}
		for (Class<?> nested : configuration.getDeclaredClasses()) {
			add(nested, result);
		}
		Import imports = configuration.getAnnotation(Import.class);
		if (imports != null) {
			for (Class<?> imported : imports.value()) {
				add(imported, result);
			}
		}
	}

}
