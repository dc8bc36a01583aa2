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

package io.github.notifystomp.store;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on {@link MemoryNotifyStore}.
 */
class MemoryNotifyStoreTests extends AbstractNotifyStoreTests {

	@Override
	protected NotifyStore createStore() {
		return new MemoryNotifyStore(10_000);
	}

	@Test
	void whenAUserHasMoreThanTheLimitThenTheOldestAreDroppedAndSeqsGoOn() {
		MemoryNotifyStore small = new MemoryNotifyStore(3);
		for (int i = 1; i <= 5; i++) {
			small.save("alice", "m" + i, "text", null, Instant.now());
		}

		assertThat(seqs(small.findAfter("alice", 0, 10))).containsExactly(3L, 4L, 5L);
		assertThat(small.find("alice", "m1")).isNull();
		assertThat(small.save("alice", "m6", "text", null, Instant.now()).seq()).isEqualTo(6);
	}

}
