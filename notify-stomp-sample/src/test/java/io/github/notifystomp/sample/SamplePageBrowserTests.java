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

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.notifystomp.NotifyTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in a real browser: two users in two windows, sending to each other
 * and to everyone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SamplePageBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@LocalServerPort
	int port;

	@Autowired
	NotifyTemplate notifyTemplate;

	private ChromeDriver alice;

	private ChromeDriver bob;

	@BeforeEach
	void openTwoWindows() throws Exception {
		this.alice = Browsers.start();
		this.bob = Browsers.start();
	}

	@AfterEach
	void closeWindows() {
		for (ChromeDriver driver : new ChromeDriver[] { this.alice, this.bob }) {
			if (driver != null) {
				driver.quit();
			}
		}
	}

	@Test
	void whenTwoUsersAreSignedInThenEachSeesWhatIsSentToThemAndToEveryone() {
		signIn(this.alice, "alice");
		signIn(this.bob, "bob");

		send(this.alice, "bob", "hello bob");
		WebElement received = awaitNotification(this.bob, "hello bob");
		assertThat(received.getAttribute("class")).contains("user").contains("unread");
		assertThat(received.getText()).contains("from alice");
		new WebDriverWait(this.bob, WAIT).until(ExpectedConditions.textToBe(By.id("unread"), "1"));

		send(this.bob, "", "hello everyone");
		assertThat(awaitNotification(this.alice, "hello everyone").getAttribute("class")).contains("broadcast");
		assertThat(awaitNotification(this.bob, "hello everyone").getAttribute("class")).contains("broadcast");

		assertThat(this.alice.findElements(By.cssSelector("#notifications li"))).extracting(WebElement::getText)
			.noneMatch((text) -> text.contains("hello bob"));

		this.bob.findElement(By.id("mark-read")).click();
		new WebDriverWait(this.bob, WAIT).until(ExpectedConditions.textToBe(By.id("unread"), "0"));
		assertThat(awaitNotification(this.bob, "hello bob").getAttribute("class")).doesNotContain("unread");
	}

	@Test
	void whenAUserSignsInAgainThenTheStoredHistoryIsShownWithItsReadState() {
		signIn(this.alice, "alice");
		signIn(this.bob, "carol");
		send(this.alice, "carol", "first for carol");
		send(this.alice, "carol", "second for carol");
		awaitNotification(this.bob, "second for carol");

		this.bob.navigate().refresh();
		signIn(this.bob, "carol");

		assertThat(awaitNotification(this.bob, "first for carol").getAttribute("class")).contains("unread");
		assertThat(awaitNotification(this.bob, "second for carol").getAttribute("class")).contains("unread");
		new WebDriverWait(this.bob, WAIT).until(ExpectedConditions.textToBe(By.id("unread"), "2"));
		assertThat(this.bob.findElements(By.cssSelector("#notifications li"))).hasSize(2);
	}

	@Test
	void whenTheServerDropsTheConnectionThenThePageReconnectsAndShowsWhatWasSentMeanwhile() {
		signIn(this.alice, "alice");
		signIn(this.bob, "dave");

		this.notifyTemplate.disconnectUser("dave");
		new WebDriverWait(this.bob, WAIT)
			.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "offline"));
		send(this.alice, "dave", "sent while dave was away");

		new WebDriverWait(this.bob, WAIT)
			.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
		assertThat(awaitNotification(this.bob, "sent while dave was away").getAttribute("class")).contains("unread");
		assertThat(this.bob.findElements(By.cssSelector("#notifications li"))).hasSize(1);
	}

	private void signIn(WebDriver driver, String user) {
		driver.get("http://localhost:" + this.port + "/");
		driver.findElement(By.id("user")).sendKeys(user);
		driver.findElement(By.id("login")).click();
		new WebDriverWait(driver, WAIT)
			.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
	}

	private void send(WebDriver driver, String to, String text) {
		WebElement toField = driver.findElement(By.id("to"));
		toField.clear();
		toField.sendKeys(to);
		driver.findElement(By.id("text")).sendKeys(text);
		driver.findElement(By.id("send")).click();
		new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("send-result"), "sent"));
	}

	private WebElement awaitNotification(WebDriver driver, String text) {
		return new WebDriverWait(driver, WAIT).until((d) -> d.findElements(By.cssSelector("#notifications li"))
			.stream()
			.filter((item) -> item.getText().contains(text))
			.findFirst()
			.orElse(null));
	}

}
