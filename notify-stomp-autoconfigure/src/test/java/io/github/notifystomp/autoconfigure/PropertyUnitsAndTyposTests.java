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

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Units and typos in {@code notify.stomp.*}: a bare number means what a user of the
 * property expects, a value below the floor fails startup with the property's name, and
 * an unknown key is named in a warning with the closest known key.
 */
@ExtendWith(OutputCaptureExtension.class)
class PropertyUnitsAndTyposTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.jackson(),
				NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
				NotifyStompClusterAutoConfiguration.class, NotifyStompMetricsAutoConfiguration.class,
				NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()));

	@Test
	void whenTimesAreBareNumbersThenTheyMeanSecondsAndTheRetentionDays() {
		this.contextRunner
			.withPropertyValues("notify.stomp.heartbeat.server=10", "notify.stomp.heartbeat.client=20",
					"notify.stomp.delivery.ack-timeout=30", "notify.stomp.cluster.presence-lease=15",
					"notify.stomp.cluster.publish-timeout=2", "notify.stomp.transport.connect-timeout=5",
					"notify.stomp.transport.send-time-limit=7", "notify.stomp.auth.failure-throttle.window=60",
					"notify.stomp.store.cleanup-interval=3600", "notify.stomp.shutdown.drain-timeout=3",
					"notify.stomp.shutdown.reconnect-window=4", "notify.stomp.store.retention=7",
					"notify.stomp.store.timeout=3", "notify.stomp.limits.max-payload-size=2048")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NotifyStompProperties properties = context.getBean(NotifyStompProperties.class);
				assertThat(properties.getHeartbeat().getServer()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getHeartbeat().getClient()).isEqualTo(Duration.ofSeconds(20));
				assertThat(properties.getDelivery().getAckTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties.getCluster().getPresenceLease()).isEqualTo(Duration.ofSeconds(15));
				assertThat(properties.getCluster().getPublishTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getTransport().getConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getTransport().getSendTimeLimit()).isEqualTo(Duration.ofSeconds(7));
				assertThat(properties.getAuth().getFailureThrottle().getWindow()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getStore().getCleanupInterval()).isEqualTo(Duration.ofHours(1));
				assertThat(properties.getShutdown().getDrainTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getShutdown().getReconnectWindow()).isEqualTo(Duration.ofSeconds(4));
				assertThat(properties.getStore().getRetention()).isEqualTo(Duration.ofDays(7));
				assertThat(properties.getStore().getTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getLimits().getMaxPayloadSize()).isEqualTo(DataSize.ofBytes(2048));
			});
	}

	@Test
	void whenTimesCarryAUnitThenTheUnitCounts() {
		this.contextRunner
			.withPropertyValues("notify.stomp.heartbeat.server=1500ms", "notify.stomp.delivery.ack-timeout=2m",
					"notify.stomp.store.retention=12h", "notify.stomp.heartbeat.client=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NotifyStompProperties properties = context.getBean(NotifyStompProperties.class);
				assertThat(properties.getHeartbeat().getServer()).isEqualTo(Duration.ofMillis(1500));
				assertThat(properties.getHeartbeat().getClient()).isZero();
				assertThat(properties.getDelivery().getAckTimeout()).isEqualTo(Duration.ofMinutes(2));
				assertThat(properties.getStore().getRetention()).isEqualTo(Duration.ofHours(12));
			});
	}

	@Test
	void whenATimeIsBelowItsFloorThenStartupFailsNamingThePropertyAndTheUnit() {
		for (String bad : List.of("notify.stomp.heartbeat.server=10ms", "notify.stomp.heartbeat.client=999ms",
				"notify.stomp.delivery.ack-timeout=30ms", "notify.stomp.cluster.presence-lease=500ms",
				"notify.stomp.cluster.publish-timeout=20ms", "notify.stomp.transport.connect-timeout=100ms",
				"notify.stomp.transport.send-time-limit=10ms", "notify.stomp.store.cleanup-interval=5ms",
				"notify.stomp.store.retention=30s", "notify.stomp.auth.failure-throttle.window=10ms",
				"notify.stomp.store.timeout=500ms")) {
			String property = bad.substring(0, bad.indexOf('='));
			this.contextRunner.withPropertyValues(bad).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidNotifyStompPropertyException.class)
					.hasMessageContaining(property)
					.hasMessageContaining("at least")
					.hasMessageContaining("a bare number means");
				FailureAnalysis analysis = new InvalidNotifyStompPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(property);
			});
		}
	}

	@Test
	void whenAKeyIsMisspeltThenOneWarningNamesItAndTheClosestKnownKey(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("notify.stomp.endpont=/notify", "notify.stomp.cluster.enable=true",
					"notify.stomp.hearbeat.server=10")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains(
						"unknown property 'notify.stomp.endpont' (in test) is ignored; did you mean 'notify.stomp.endpoint'?")
					.contains("unknown property 'notify.stomp.cluster.enable'")
					.contains("did you mean 'notify.stomp.cluster.enabled'?")
					.contains("did you mean 'notify.stomp.heartbeat.server'?");
				assertThat(output.toString().split("unknown property 'notify.stomp.endpont'", -1)).hasSize(2);
			});
	}

	@Test
	void whenKeysAreKnownInAnyFormThenNothingIsWarned(CapturedOutput output) {
		this.contextRunner.withPropertyValues("notify.stomp.types.order-shipped=java.lang.String",
				"notify.stomp.allowed-origin-patterns[0]=https://*.example.com", "notify.stomp.auth.jwt.userClaim=sub",
				"notify.stomp.cluster.relay_secret=0123456789abcdef0123456789abcdef",
				"notify.stomp.heartbeat.server=10")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("NOTIFY_STOMP_LIMITS_MAXSESSIONSPERUSER", "5", "NOTIFY_STOMP_AUTH_JWT_USER_CLAIM",
								"sub"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(NotifyStompProperties.class).getLimits().getMaxSessionsPerUser())
					.isEqualTo(5);
				assertThat(output).doesNotContain("unknown property");
			});
	}

	@Test
	void whenAnEnvironmentVariableIsMisspeltThenItIsNamedToo(CapturedOutput output) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("NOTIFY_STOMP_CLUSTR_ENABLED", "true"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("unknown property 'notify.stomp.clustr.enabled'")
					.contains("did you mean 'notify.stomp.cluster.enabled'?");
			});
	}

}
