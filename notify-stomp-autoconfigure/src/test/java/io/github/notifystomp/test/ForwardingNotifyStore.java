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

package io.github.notifystomp.test;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;

/**
 * A {@link NotifyStore} that forwards every call to a real store; tests extend it to slow
 * down or fail the one call they are about.
 */
public abstract class ForwardingNotifyStore implements NotifyStore {

	private final NotifyStore delegate;

	protected ForwardingNotifyStore(NotifyStore delegate) {
		this.delegate = delegate;
	}

	public NotifyStore delegate() {
		return this.delegate;
	}

	@Override
	public StoredMessage save(String userId, String id, String type, String payload, Instant createdAt) {
		return this.delegate.save(userId, id, type, payload, createdAt);
	}

	@Override
	public List<StoredMessage> findAfter(String userId, long afterSeq, int limit) {
		return this.delegate.findAfter(userId, afterSeq, limit);
	}

	@Override
	public List<StoredMessage> findBefore(String userId, Long beforeSeq, int limit) {
		return this.delegate.findBefore(userId, beforeSeq, limit);
	}

	@Override
	public StoredMessage find(String userId, String id) {
		return this.delegate.find(userId, id);
	}

	@Override
	public boolean markDelivered(String userId, String id) {
		return this.delegate.markDelivered(userId, id);
	}

	@Override
	public int markRead(String userId, Collection<String> ids) {
		return this.delegate.markRead(userId, ids);
	}

	@Override
	public long countUnread(String userId) {
		return this.delegate.countUnread(userId);
	}

	@Override
	public boolean delete(String userId, String id) {
		return this.delegate.delete(userId, id);
	}

	@Override
	public int deleteCreatedBefore(Instant cutoff) {
		return this.delegate.deleteCreatedBefore(cutoff);
	}

	@Override
	public boolean joinsTransactions() {
		return this.delegate.joinsTransactions();
	}

	@Override
	public String epoch() {
		return this.delegate.epoch();
	}

	@Override
	public long lastSeq(String userId) {
		return this.delegate.lastSeq(userId);
	}

}
