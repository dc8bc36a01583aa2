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

package io.github.notifystomp;

import java.util.List;

/**
 * One page of a user's history, newest first.
 *
 * @param messages the messages, newest first
 * @param nextBeforeSeq the cursor of the next (older) page, to pass as {@code beforeSeq},
 * or {@code null} if there are no older messages
 */
public record InboxPage(List<InboxMessage> messages, Long nextBeforeSeq) {

	/**
	 * Create a page.
	 * @param messages the messages, newest first
	 * @param nextBeforeSeq the cursor of the next page, or {@code null} for none
	 */
	public InboxPage {
		messages = List.copyOf(messages);
	}

	/**
	 * Whether there are older messages.
	 * @return {@code true} if {@link #nextBeforeSeq()} leads to another page
	 */
	public boolean hasMore() {
		return this.nextBeforeSeq != null;
	}

}
