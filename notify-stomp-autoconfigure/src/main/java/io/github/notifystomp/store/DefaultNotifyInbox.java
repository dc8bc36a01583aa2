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

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.github.notifystomp.InboxMessage;
import io.github.notifystomp.InboxPage;
import io.github.notifystomp.NotifyInbox;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.UserIds;

/**
 * The {@link NotifyInbox} over a {@link NotifyStore}. Read notices go through the
 * {@link NotifyTemplate}, so they reach the user's sessions on every node and follow the
 * caller's transaction.
 */
public class DefaultNotifyInbox implements NotifyInbox {

	private final NotifyStore store;

	private final NotifyTemplate template;

	/**
	 * Create an inbox.
	 * @param store the message store
	 * @param template sends the read notices
	 */
	public DefaultNotifyInbox(NotifyStore store, NotifyTemplate template) {
		this.store = store;
		this.template = template;
	}

	@Override
	public InboxPage history(String userId, Long beforeSeq, int limit) {
		UserIds.require(userId);
		if (limit < 1 || limit > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("Page size must be between 1 and " + MAX_PAGE_SIZE + ", not " + limit);
		}
		List<StoredMessage> found = this.store.findBefore(userId, beforeSeq, limit + 1);
		boolean more = found.size() > limit;
		List<InboxMessage> page = new ArrayList<>(Math.min(found.size(), limit));
		for (int i = 0; i < found.size() && i < limit; i++) {
			page.add(toInboxMessage(found.get(i)));
		}
		return new InboxPage(page, more ? page.get(page.size() - 1).seq() : null);
	}

	@Override
	public InboxMessage find(String userId, String id) {
		UserIds.require(userId);
		StoredMessage message = (id != null) ? this.store.find(userId, id) : null;
		return (message != null) ? toInboxMessage(message) : null;
	}

	@Override
	public long unreadCount(String userId) {
		return this.store.countUnread(UserIds.require(userId));
	}

	@Override
	public int markRead(String userId, Collection<String> ids) {
		UserIds.require(userId);
		if (ids == null || ids.isEmpty()) {
			return 0;
		}
		LinkedHashSet<String> unique = new LinkedHashSet<>(ids);
		unique.remove(null);
		List<String> distinct = List.copyOf(unique);
		if (distinct.isEmpty()) {
			return 0;
		}
		int changed = this.store.markRead(userId, distinct);
		if (changed > 0) {
			this.template.sendToUser(userId,
					NotifyMessage.builder(READ_TYPE).payload(Map.of("ids", distinct)).transientMessage().build());
		}
		return changed;
	}

	@Override
	public boolean delete(String userId, String id) {
		UserIds.require(userId);
		return id != null && this.store.delete(userId, id);
	}

	private static InboxMessage toInboxMessage(StoredMessage message) {
		return new InboxMessage(message.id(), message.type(), message.payload(), message.createdAt(), message.seq(),
				message.deliveredAt(), message.readAt());
	}

}
