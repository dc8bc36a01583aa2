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

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded {@link NotifyStore} in this node's memory: the default when there is no
 * {@code DataSource}. It is per node and lost on restart, so use the JDBC store for a
 * cluster or for anything that must survive a restart. When a user has more than the
 * configured number of messages, the oldest are dropped.
 */
public class MemoryNotifyStore implements NotifyStore {

	private final Map<String, UserMessages> users = new ConcurrentHashMap<>();

	private final int maxMessagesPerUser;

	// sequence numbers start again with every new store
	private final String epoch = Long.toHexString(new SecureRandom().nextLong() | Long.MIN_VALUE);

	/**
	 * Create a store.
	 * @param maxMessagesPerUser how many messages to keep per user, at least 1
	 */
	public MemoryNotifyStore(int maxMessagesPerUser) {
		if (maxMessagesPerUser < 1) {
			throw new IllegalArgumentException("maxMessagesPerUser must be at least 1");
		}
		this.maxMessagesPerUser = maxMessagesPerUser;
	}

	@Override
	public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
		UserMessages messages = this.users.computeIfAbsent(userId, (key) -> new UserMessages());
		synchronized (messages) {
			if (messages.byId.containsKey(id)) {
				throw new IllegalArgumentException("Notification id '" + id + "' already exists for this user");
			}
			long seq = ++messages.lastSeq;
			StoredMessage message = new StoredMessage(userId, seq, id, type, payload, createdAt, null, null);
			messages.bySeq.put(seq, message);
			messages.byId.put(id, seq);
			while (messages.bySeq.size() > this.maxMessagesPerUser) {
				StoredMessage dropped = messages.bySeq.pollFirstEntry().getValue();
				messages.byId.remove(dropped.id());
			}
			return message;
		}
	}

	@Override
	public String epoch() {
		return this.epoch;
	}

	@Override
	public long lastSeq(String userId) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return 0;
		}
		synchronized (messages) {
			return messages.lastSeq;
		}
	}

	@Override
	public List<StoredMessage> findAfter(String userId, long afterSeq, int limit) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return List.of();
		}
		synchronized (messages) {
			return take(messages.bySeq.tailMap(afterSeq, false).values(), limit);
		}
	}

	@Override
	public List<StoredMessage> findBefore(String userId, Long beforeSeq, int limit) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return List.of();
		}
		synchronized (messages) {
			NavigableMap<Long, StoredMessage> head = (beforeSeq != null) ? messages.bySeq.headMap(beforeSeq, false)
					: messages.bySeq;
			return take(head.descendingMap().values(), limit);
		}
	}

	@Override
	public StoredMessage find(String userId, String id) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return null;
		}
		synchronized (messages) {
			Long seq = messages.byId.get(id);
			return (seq != null) ? messages.bySeq.get(seq) : null;
		}
	}

	@Override
	public boolean markDelivered(String userId, String id) {
		return update(userId, id,
				(message) -> (message.deliveredAt() != null) ? null
						: new StoredMessage(message.userId(), message.seq(), message.id(), message.type(),
								message.payload(), message.createdAt(), Instant.now(), message.readAt()));
	}

	@Override
	public int markRead(String userId, Collection<String> ids) {
		int changed = 0;
		for (String id : ids) {
			if (update(userId, id,
					(message) -> (message.readAt() != null) ? null
							: new StoredMessage(message.userId(), message.seq(), message.id(), message.type(),
									message.payload(), message.createdAt(), message.deliveredAt(), Instant.now()))) {
				changed++;
			}
		}
		return changed;
	}

	@Override
	public long countUnread(String userId) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return 0;
		}
		synchronized (messages) {
			return messages.bySeq.values().stream().filter((message) -> !message.isRead()).count();
		}
	}

	@Override
	public boolean delete(String userId, String id) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return false;
		}
		synchronized (messages) {
			Long seq = messages.byId.remove(id);
			return seq != null && messages.bySeq.remove(seq) != null;
		}
	}

	@Override
	public int deleteCreatedBefore(Instant cutoff) {
		int deleted = 0;
		for (UserMessages messages : this.users.values()) {
			synchronized (messages) {
				Iterator<StoredMessage> iterator = messages.bySeq.values().iterator();
				while (iterator.hasNext()) {
					StoredMessage message = iterator.next();
					if (message.createdAt().isBefore(cutoff)) {
						iterator.remove();
						messages.byId.remove(message.id());
						deleted++;
					}
				}
			}
		}
		return deleted;
	}

	private boolean update(String userId, String id, java.util.function.UnaryOperator<StoredMessage> change) {
		UserMessages messages = this.users.get(userId);
		if (messages == null) {
			return false;
		}
		synchronized (messages) {
			Long seq = messages.byId.get(id);
			StoredMessage message = (seq != null) ? messages.bySeq.get(seq) : null;
			if (message == null) {
				return false;
			}
			StoredMessage changed = change.apply(message);
			if (changed == null) {
				return false;
			}
			messages.bySeq.put(seq, changed);
			return true;
		}
	}

	private static List<StoredMessage> take(Collection<StoredMessage> messages, int limit) {
		List<StoredMessage> result = new ArrayList<>(Math.min(limit, messages.size()));
		for (StoredMessage message : messages) {
			if (result.size() >= limit) {
				break;
			}
			result.add(message);
		}
		return result;
	}

	private static final class UserMessages {

		private final TreeMap<Long, StoredMessage> bySeq = new TreeMap<>();

		private final Map<String, Long> byId = new java.util.HashMap<>();

		private long lastSeq;

	}

}
