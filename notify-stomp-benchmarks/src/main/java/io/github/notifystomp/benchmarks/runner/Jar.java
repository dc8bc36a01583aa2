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

import java.io.File;

/**
 * Where the runner's own jar and JVM are, to start server nodes from them.
 */
final class Jar {

	private Jar() {
	}

	/**
	 * Return the path of the benchmark jar the runner was started from.
	 * @return the path
	 * @throws IllegalStateException if the runner was not started with {@code java -jar}
	 */
	static String path() {
		String classPath = System.getProperty("java.class.path", "");
		if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
			throw new IllegalStateException(
					"Start the suite with java -jar notify-stomp-benchmarks/target/notify-stomp-benchmarks.jar");
		}
		return new File(classPath).getAbsolutePath();
	}

	/**
	 * Return the path of the jar whose server nodes run on a servlet container: the
	 * runner's own jar for Tomcat, the {@code -jetty} jar the same build puts beside it
	 * for Jetty.
	 * @param container {@code tomcat} or {@code jetty}
	 * @return the path
	 * @throws IllegalStateException if that jar is missing
	 */
	static String serverPath(String container) {
		String own = path();
		if (container.equals("tomcat")) {
			return own;
		}
		File jar = new File(own.substring(0, own.length() - ".jar".length()) + "-" + container + ".jar");
		if (!jar.isFile()) {
			throw new IllegalStateException(jar + " is missing: the benchmarks build makes it beside " + own);
		}
		return jar.getAbsolutePath();
	}

	/**
	 * Return the {@code java} executable of this JVM.
	 * @return the path
	 */
	static String java() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
	}

}
