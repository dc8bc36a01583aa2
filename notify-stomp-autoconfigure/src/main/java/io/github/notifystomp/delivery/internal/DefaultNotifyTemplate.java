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

package io.github.notifystomp.delivery.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.github.notifystomp.DisconnectResult;
import io.github.notifystomp.MessageTypeRegistry;
import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifySendException;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.SendResult;
import io.github.notifystomp.UserIds;
import io.github.notifystomp.delivery.MessageRouter;
import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.presence.PresenceRegistry;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoreUnavailableException;
import io.github.notifystomp.store.StoredMessage;

/**
 * The {@link NotifyTemplate}: validates a message, stores it, and hands it to the
 * {@link MessageRouter} once it is safe to deliver.
 * <p>
 * Inside a transaction (one the store can join) the message is stored in it and routed
 * after commit; a rollback delivers nothing. Outside a transaction it is stored and
 * routed at once. A failed store fails the send; a failed route does not, since the
 * stored message is delivered later by redelivery or replay.
 */
public class DefaultNotifyTemplate implements NotifyTemplate {

	private static final Log logger = LogFactory.getLog(DefaultNotifyTemplate.class);

	private final NotificationJson json;

	private final MessageTypeRegistry types;

	private final NotifyStore store;

	private final MessageRouter router;

	private final PresenceRegistry presence;

	private final LocalSessions sessions;

	private final long maxPayloadBytes;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	/**
	 * Create a template.
	 * @param json serializes payloads
	 * @param types the registered message types
	 * @param store the message store, or {@code null} to store nothing
	 * @param router routes messages to the nodes of their recipients
	 * @param presence answers online checks
	 * @param sessions this node's sessions
	 * @param maxPayloadBytes the largest serialized payload accepted
	 * @param metrics records sends and store writes
	 */
	public DefaultNotifyTemplate(NotificationJson json, MessageTypeRegistry types, NotifyStore store,
			MessageRouter router, PresenceRegistry presence, LocalSessions sessions, long maxPayloadBytes,
			NotifyMetrics metrics) {
		this.json = json;
		this.types = types;
		this.store = store;
		this.router = router;
		this.presence = presence;
		this.sessions = sessions;
		this.maxPayloadBytes = maxPayloadBytes;
		this.metrics = metrics;
		this.drops = new DroppedMessages(metrics);
	}

	@Override
	public SendResult sendToUser(String userId, NotifyMessage message) {
		return sendToUsers(List.of(UserIds.require(userId)), message).get(0);
	}

	@Override
	public List<SendResult> sendToUsers(Collection<String> userIds, NotifyMessage message) {
		if (userIds == null) {
			throw new IllegalArgumentException("User ids must not be null");
		}
		List<String> recipients = new ArrayList<>(userIds.size());
		for (String userId : userIds) {
			recipients.add(UserIds.require(userId));
		}
		Notification prepared = prepare(message);
		// a user named twice gets the message once; sorted, so
		// that two transactions that send to the same users lock
		// their counters in the same order and cannot deadlock
		Set<String> users = new TreeSet<>(recipients);
		users.forEach((userId) -> this.metrics.messageSent("user"));
		Map<String, Notification> addressed = new LinkedHashMap<>();
		if (message.isTransient() || this.store == null) {
			users.forEach((userId) -> addressed.put(userId, prepared.toUser(userId, null)));
			afterCommit(() -> addressed.values().forEach(this::routeToUser));
			return results(recipients, prepared, addressed);
		}
		if (inTransaction() && !this.store.joinsTransactions()) {
			afterCommit(() -> users.forEach((userId) -> storeAfterCommitAndRoute(prepared, userId)));
			return results(recipients, prepared, addressed);
		}
		try {
			for (String userId : users) {
				addressed.put(userId, store(prepared, userId));
			}
		}
		catch (RuntimeException ex) {
			String failure = (ex instanceof StoreUnavailableException)
					? "the store cannot reach its database or did not answer in time (notify.stomp.store.timeout)"
					: "the store failed (" + ex.getClass().getSimpleName() + ")";
			throw new NotifySendException(prepared.id(),
					failure + " after storing it for " + addressed.size() + " of " + users.size() + " users", ex);
		}
		finally {
			// also when a later save failed: what is
			// stored (and committed) gets delivered
			afterCommit(() -> addressed.values().forEach(this::routeToUser));
		}
		return results(recipients, prepared, addressed);
	}

	private static List<SendResult> results(List<String> recipients, Notification prepared,
			Map<String, Notification> addressed) {
		List<SendResult> results = new ArrayList<>(recipients.size());
		for (String userId : recipients) {
			Notification notification = addressed.get(userId);
			results.add(new SendResult(prepared.id(), (notification != null) ? notification.seq() : null));
		}
		return results;
	}

	@Override
	public SendResult broadcast(NotifyMessage message) {
		Notification prepared = prepare(message);
		this.metrics.messageSent("broadcast");
		afterCommit(() -> {
			try {
				this.router.broadcast(prepared);
			}
			catch (RuntimeException ex) {
				logger.warn("Broadcast " + prepared.id() + " could not be routed: " + ex);
				this.drops.dropped("route-failed", () -> "broadcast " + prepared.id());
			}
		});
		return new SendResult(prepared.id(), null);
	}

	@Override
	public boolean isOnline(String userId) {
		return userId != null && this.presence.isOnline(userId);
	}

	@Override
	public int localOnlineUserCount() {
		return this.sessions.userCount();
	}

	@Override
	public long onlineUserCount() {
		return this.presence.onlineUserCount();
	}

	@Override
	public DisconnectResult disconnectUser(String userId, Duration refuseReconnectsFor) {
		UserIds.require(userId);
		if (refuseReconnectsFor == null || refuseReconnectsFor.isNegative()) {
			throw new IllegalArgumentException("The time to refuse reconnects must be zero or positive");
		}
		Instant until = refuseReconnectsFor.isZero() ? null : Instant.now().plus(refuseReconnectsFor);
		boolean allNodesTold = this.router.disconnectUser(userId, until);
		logger.info("Disconnected user '" + userId + "'"
				+ ((until != null) ? ", refusing their CONNECTs until " + until : "")
				+ (allNodesTold ? "" : "; other nodes are told when Redis answers again"));
		return new DisconnectResult(userId, allNodesTold, until);
	}

	@Override
	public void allowReconnects(String userId) {
		this.router.allowReconnects(UserIds.require(userId));
		logger.info("Accepting CONNECTs of user '" + userId + "' again");
	}

	private Notification prepare(NotifyMessage message) {
		if (message == null) {
			throw new IllegalArgumentException("Message must not be null");
		}
		this.types.check(message.type(), message.payload());
		String payload = this.json.payload(message.payload());
		if (payload != null && payload.length() * 3L > this.maxPayloadBytes
				&& payload.getBytes(StandardCharsets.UTF_8).length > this.maxPayloadBytes) {
			throw new IllegalArgumentException("Payload of notification type '" + message.type() + "' is larger than "
					+ this.maxPayloadBytes + " bytes (notify.stomp.limits.max-payload-size)");
		}
		// one clock read for the id, the creation and the send time
		Instant now = Instant.now();
		String id = (message.id() != null) ? message.id() : NotifyIds.next(now.toEpochMilli());
		// stores keep microseconds: truncating here makes live and replayed bodies equal
		Instant createdAt = ((message.createdAt() != null) ? message.createdAt() : now).truncatedTo(ChronoUnit.MICROS);
		return new Notification(id, message.type(), payload, createdAt, null, null, 0, now);
	}

	// the store cannot join the transaction: store once it committed, and never throw
	// into the caller's commit
	private void storeAfterCommitAndRoute(Notification prepared, String userId) {
		Notification stored;
		try {
			stored = store(prepared, userId);
		}
		catch (RuntimeException ex) {
			logger.warn("Message " + prepared.id() + " for user " + userId
					+ " could not be stored after its transaction committed; it is lost: " + ex);
			this.drops.dropped("store-failed", () -> "message " + prepared.id() + " for user " + userId);
			return;
		}
		routeToUser(stored);
	}

	private Notification store(Notification prepared, String userId) {
		long start = System.nanoTime();
		StoredMessage stored = this.store.save(userId, prepared.id(), prepared.type(), prepared.payload(),
				prepared.createdAt());
		this.metrics.storeWrite(Duration.ofNanos(System.nanoTime() - start));
		return prepared.toUser(userId, stored.seq());
	}

	private void routeToUser(Notification notification) {
		try {
			this.router.toUser(notification);
		}
		catch (RuntimeException ex) {
			// stored messages are not lost: redelivery or the next replay brings them
			logger
				.warn("Message " + notification.id() + " for user " + notification.userId() + " could not be routed now"
						+ (notification.isStored() ? "; it stays stored for replay" : "") + ": " + ex);
			if (!notification.isStored()) {
				this.drops.dropped("route-failed",
						() -> "message " + notification.id() + " for user " + notification.userId());
			}
		}
	}

	private static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	private static void afterCommit(Runnable action) {
		if (!inTransaction()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

}
