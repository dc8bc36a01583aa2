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

import java.util.Map;

/**
 * The lowest Spring Framework patch of each supported line that has the fixes the
 * starter's security relies on (STOMP frames before CONNECT, CVE-2025-41254; guessable
 * WebSocket session ids, spring-framework#36740). The build enforces the same floors
 * ({@code spring-framework.minimum-version} in the poms); this check tells an application
 * that runs an older Framework than its Spring Boot line should have.
 */
final class SpringFrameworkFloor {

	// the Spring Boot 3.5 line and the Spring Boot 4 line
	private static final Map<String, String> FLOORS = Map.of("6.2", "6.2.19", "7.0", "7.0.10");

	private SpringFrameworkFloor() {
	}

	/**
	 * Check a running Spring Framework version.
	 * @param version the version, as {@code SpringVersion.getVersion()} gives it; may be
	 * {@code null} when it cannot be told
	 * @return a warning to log, or {@code null} when the version is at or above the floor
	 * of its line, or newer than every line with a floor
	 */
	static String warning(String version) {
		int[] running = parse(version);
		if (running == null) {
			return null;
		}
		String floor = FLOORS.get(running[0] + "." + running[1]);
		if (floor == null) {
			return (compare(running, parse("6.2.0")) < 0) ? "notify-stomp needs Spring Framework 6.2 or later (Spring"
					+ " Boot 3.5 or 4.x); this application runs " + version + "." : null;
		}
		if (compare(running, parse(floor)) >= 0) {
			return null;
		}
		return "notify-stomp: this application runs Spring Framework " + version + ", below " + floor + ", the first "
				+ running[0] + "." + running[1] + " release with the fixes notify-stomp relies on"
				+ " (CVE-2025-41254: STOMP frames before CONNECT; spring-framework#36740: guessable WebSocket session"
				+ " ids). Upgrade Spring Boot, or set the Framework version (for example the spring-framework.version"
				+ " property with spring-boot-starter-parent) to " + floor + " or later.";
	}

	private static int[] parse(String version) {
		if (version == null) {
			return null;
		}
		String[] parts = version.split("[.-]");
		if (parts.length < 3) {
			return null;
		}
		try {
			return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static int compare(int[] a, int[] b) {
		for (int i = 0; i < 3; i++) {
			if (a[i] != b[i]) {
				return Integer.compare(a[i], b[i]);
			}
		}
		return 0;
	}

}
