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

package io.github.notifystomp.benchmarks.common;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Checks that keep the baselines honest.
 */
public final class Baselines {

	private Baselines() {
	}

	/**
	 * Fail unless the context holds no bean of the starter: a baseline measures Spring
	 * alone.
	 * @param context the started baseline application
	 */
	public static void requireNoStarter(ConfigurableApplicationContext context) {
		List<String> found = new ArrayList<>();
		for (String name : context.getBeanDefinitionNames()) {
			Class<?> type = context.getType(name);
			if (type != null && type.getName().startsWith("io.github.notifystomp.")
					&& !type.getName().startsWith("io.github.notifystomp.benchmarks.")) {
				found.add(name + " (" + type.getName() + ")");
			}
		}
		if (!found.isEmpty()) {
			context.close();
			throw new IllegalStateException("A baseline must run without notify-stomp, but it has " + found);
		}
	}

}
