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

package io.github.notifystomp.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Starts headless Chromium through ChromeDriver with explicit paths (Debian's
 * {@code chromium} and {@code chromium-driver} packages by default; override with the
 * {@code CHROME_BINARY} and {@code CHROMEDRIVER} environment variables). Fails with a
 * message, never skips, when they are missing.
 */
final class Browsers {

	private Browsers() {
	}

	static ChromeDriver start() throws IOException {
		File binary = find("CHROME_BINARY", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
		File driver = find("CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
		Path profile = Files.createTempDirectory("notify-stomp-chromium");
		profile.toFile().deleteOnExit();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
			.usingAnyFreePort()
			.withTimeout(Duration.ofSeconds(30))
			.build();
		return new ChromeDriver(service, options);
	}

	private static File find(String variable, String... candidates) {
		String configured = System.getenv(variable);
		List<String> paths = (configured != null) ? List.of(configured) : List.of(candidates);
		for (String path : paths) {
			File file = new File(path);
			if (file.canExecute()) {
				return file;
			}
		}
		return fail("No executable found at " + paths + " (set " + variable + "). The browser test needs Chromium"
				+ " and ChromeDriver: on Debian, apt-get install chromium chromium-driver.");
	}

}
