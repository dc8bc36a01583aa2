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

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Logs one WARN for each {@code notify.stomp.*} key of the environment that no property
 * of {@link NotifyStompProperties} binds, with the closest known key: a misspelt key
 * ({@code notify.stomp.endpont}, {@code notify.stomp.cluster.enable}) is otherwise
 * silently ignored and the default stays in force. Runs before any bean is created, so
 * the warning comes before any failure the typo causes.
 */
class UnknownPropertyWarnings implements BeanFactoryPostProcessor {

	private static final Log logger = LogFactory.getLog(NotifyStompProperties.class);

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("notify.stomp");

	private final Environment environment;

	UnknownPropertyWarnings(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Known known = Known.of(NotifyStompProperties.class);
		for (Map.Entry<String, String> unknown : unknownKeys(this.environment, known).entrySet()) {
			String closest = known.closest(unknown.getKey());
			logger.warn("notify-stomp: unknown property '" + unknown.getKey() + "' (in " + unknown.getValue()
					+ ") is ignored" + ((closest != null) ? "; did you mean '" + closest + "'?" : ""));
		}
		// what spring-boot-properties-migrator would say, for applications without it
		for (Map.Entry<String, String> deprecated : deprecatedKeys(this.environment, known).entrySet()) {
			logger.warn("notify-stomp: property '" + deprecated.getKey() + "' is deprecated; use '"
					+ deprecated.getValue() + "' instead");
		}
	}

	/**
	 * Return the deprecated {@code notify.stomp.*} keys of the environment, each with the
	 * key that replaces it.
	 */
	static Map<String, String> deprecatedKeys(Environment environment, Known known) {
		Map<String, String> deprecated = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream().filter(PREFIX::isAncestorOf).forEach((name) -> {
				String replacement = known.replacement(name);
				if (replacement != null) {
					deprecated.putIfAbsent(name.toString(), replacement);
				}
			});
		}
		return deprecated;
	}

	/**
	 * Return the {@code notify.stomp.*} keys of the environment that no property binds,
	 * each with the name of the first property source that holds it.
	 */
	static Map<String, String> unknownKeys(Environment environment, Known known) {
		Map<String, String> unknown = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream().filter(PREFIX::isAncestorOf).forEach((name) -> {
				if (!known.binds(name)) {
					unknown.putIfAbsent(name.toString(), sourceName(source));
				}
			});
		}
		return unknown;
	}

	private static String sourceName(ConfigurationPropertySource source) {
		Object underlying = source.getUnderlyingSource();
		if (underlying instanceof org.springframework.core.env.PropertySource<?> propertySource) {
			return propertySource.getName();
		}
		return String.valueOf(underlying);
	}

	/**
	 * The keys {@link NotifyStompProperties} binds, found from its getters and setters as
	 * the binder finds them.
	 */
	static final class Known {

		private final List<ConfigurationPropertyName> leaves = new ArrayList<>();

		// maps such as types.*: any key under them binds
		private final List<ConfigurationPropertyName> maps = new ArrayList<>();

		// deprecated keys (also in leaves, since they still bind) and their replacements
		private final Map<ConfigurationPropertyName, String> replacements = new LinkedHashMap<>();

		static Known of(Class<?> type) {
			Known known = new Known();
			known.add(PREFIX, type);
			return known;
		}

		private void add(ConfigurationPropertyName prefix, Class<?> type) {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
					continue;
				}
				ConfigurationPropertyName name = prefix.append(kebab(descriptor.getName()));
				Class<?> propertyType = descriptor.getPropertyType();
				if (descriptor.getWriteMethod() != null) {
					(Map.class.isAssignableFrom(propertyType) ? this.maps : this.leaves).add(name);
					DeprecatedConfigurationProperty deprecated = descriptor.getReadMethod()
						.getAnnotation(DeprecatedConfigurationProperty.class);
					if (deprecated != null) {
						this.replacements.put(name, deprecated.replacement());
					}
				}
				else if (propertyType.getName().startsWith(NotifyStompProperties.class.getName() + "$")
						&& !propertyType.isEnum()) {
					add(name, propertyType);
				}
			}
		}

		boolean binds(ConfigurationPropertyName name) {
			ConfigurationPropertyName plain = name;
			while (plain.getNumberOfElements() > 0 && plain.isLastElementIndexed()) {
				plain = plain.getParent();
			}
			for (ConfigurationPropertyName leaf : this.leaves) {
				if (leaf.equals(plain) || collapsed(leaf).equals(collapsed(plain))) {
					return true;
				}
			}
			for (ConfigurationPropertyName map : this.maps) {
				if (map.isAncestorOf(name) || map.equals(name) || collapsed(name).startsWith(collapsed(map))) {
					return true;
				}
			}
			return false;
		}

		/**
		 * Return the key that replaces a deprecated one, or {@code null} when the name is
		 * not deprecated.
		 */
		String replacement(ConfigurationPropertyName name) {
			for (Map.Entry<ConfigurationPropertyName, String> deprecated : this.replacements.entrySet()) {
				if (deprecated.getKey().equals(name) || collapsed(deprecated.getKey()).equals(collapsed(name))) {
					return deprecated.getValue();
				}
			}
			return null;
		}

		/**
		 * Return the known key closest to a name, or {@code null} when none is close.
		 */
		String closest(String name) {
			String best = null;
			int bestDistance = Integer.MAX_VALUE;
			List<ConfigurationPropertyName> all = new ArrayList<>(this.leaves);
			all.addAll(this.maps);
			// a typo is pointed to the current key, never to a deprecated one
			all.removeAll(this.replacements.keySet());
			for (ConfigurationPropertyName candidate : all) {
				int distance = distance(name, candidate.toString());
				if (distance < bestDistance) {
					best = candidate.toString();
					bestDistance = distance;
				}
			}
			// further than half the differing tail: a guess would only confuse
			String tail = name.substring(Math.min(name.length(), PREFIX.toString().length() + 1));
			return (bestDistance <= Math.max(2, tail.length() / 2)) ? best : null;
		}

		Collection<String> names() {
			List<String> names = new ArrayList<>();
			this.leaves.forEach((leaf) -> names.add(leaf.toString()));
			this.maps.forEach((map) -> names.add(map.toString()));
			return names;
		}

		// an environment variable (NOTIFY_STOMP_AUTH_JWT_USER_CLAIM) cannot tell '.' from
		// '-': compare without either
		private static String collapsed(ConfigurationPropertyName name) {
			StringBuilder result = new StringBuilder();
			for (int i = 0; i < name.getNumberOfElements(); i++) {
				if (!name.isNumericIndex(i)) {
					result.append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
				}
			}
			return result.toString();
		}

		private static String kebab(String camel) {
			StringBuilder result = new StringBuilder();
			for (char c : camel.toCharArray()) {
				if (Character.isUpperCase(c)) {
					result.append('-').append(Character.toLowerCase(c));
				}
				else {
					result.append(c);
				}
			}
			return result.toString().toLowerCase(Locale.ROOT);
		}

		private static int distance(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
					current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

	}

}
