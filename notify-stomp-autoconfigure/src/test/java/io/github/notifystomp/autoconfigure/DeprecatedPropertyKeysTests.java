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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.test.BootAutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the keys that moved under {@code notify.stomp.limits}: each old key still
 * takes effect, the new key wins when both are set, an old key is warned about as
 * deprecated (not as unknown), and a bad value is reported under the key that was set.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeprecatedPropertyKeysTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.jackson(),
				NotifyStompAuthAutoConfiguration.class, NotifyStompStoreAutoConfiguration.class,
				NotifyStompAutoConfiguration.class, BootAutoConfigurations.webSocketMessaging()));

	@Test
	void whenEachOldKeyIsSetThenItTakesEffectAtItsNewPlace() {
		this.contextRunner
			.withPropertyValues("notify.stomp.max-payload-size=2KB", "notify.stomp.auth.max-sessions-per-user=4",
					"notify.stomp.delivery.max-unacked-per-subscription=7")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NotifyStompProperties.Limits limits = context.getBean(NotifyStompProperties.class).getLimits();
				assertThat(limits.getMaxPayloadSize()).isEqualTo(DataSize.ofKilobytes(2));
				assertThat(limits.getMaxSessionsPerUser()).isEqualTo(4);
				assertThat(limits.getMaxUnackedPerSubscription()).isEqualTo(7);
				// and the code that reads the new place sees it
				assertThatIllegalArgumentException()
					.isThrownBy(() -> context.getBean(NotifyTemplate.class)
						.sendToUser("ivy", NotifyMessage.of("text", "x".repeat(3000))))
					.withMessageContaining("notify.stomp.limits.max-payload-size");
			});
	}

	@Test
	void whenTheOldAndTheNewKeyAreBothSetThenTheNewKeyWins() {
		this.contextRunner
			.withPropertyValues("notify.stomp.max-payload-size=2KB", "notify.stomp.limits.max-payload-size=3KB",
					"notify.stomp.auth.max-sessions-per-user=4", "notify.stomp.limits.max-sessions-per-user=5",
					"notify.stomp.delivery.max-unacked-per-subscription=7",
					"notify.stomp.limits.max-unacked-per-subscription=8")
			.run((context) -> {
				NotifyStompProperties.Limits limits = context.getBean(NotifyStompProperties.class).getLimits();
				assertThat(limits.getMaxPayloadSize()).isEqualTo(DataSize.ofKilobytes(3));
				assertThat(limits.getMaxSessionsPerUser()).isEqualTo(5);
				assertThat(limits.getMaxUnackedPerSubscription()).isEqualTo(8);
			});
	}

	@Test
	void whenNoKeyIsSetThenTheDefaultsHold() {
		this.contextRunner.run((context) -> {
			NotifyStompProperties.Limits limits = context.getBean(NotifyStompProperties.class).getLimits();
			assertThat(limits.getMaxPayloadSize()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(limits.getMaxSessionsPerUser()).isEqualTo(10);
			assertThat(limits.getMaxUnackedPerSubscription()).isEqualTo(1000);
		});
	}

	@Test
	void whenAnOldKeyIsSetThenItIsWarnedAsDeprecatedNamingTheNewKeyAndNotAsUnknown(CapturedOutput output) {
		this.contextRunner.withPropertyValues("notify.stomp.auth.max-sessions-per-user=4").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output)
				.contains("notify-stomp: property 'notify.stomp.auth.max-sessions-per-user' is"
						+ " deprecated; use 'notify.stomp.limits.max-sessions-per-user' instead")
				.doesNotContain("unknown property");
		});
	}

	@Test
	void whenAnOldKeyHasABadValueThenStartupFailsNamingTheKeyThatWasSet() {
		this.contextRunner.withPropertyValues("notify.stomp.delivery.max-unacked-per-subscription=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidNotifyStompPropertyException.class)
				.hasMessageContaining("notify.stomp.delivery.max-unacked-per-subscription"));
	}

}
