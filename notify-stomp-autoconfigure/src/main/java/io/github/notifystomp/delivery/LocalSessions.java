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

package io.github.notifystomp.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;

import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.metrics.NotifyMetrics;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.transport.SessionLabels;
import io.github.notifystomp.transport.WebSocketConnections;

/**
 * The STOMP sessions connected to this node, and delivery to them: user messages go to
 * each subscription of the user's sessions (with an {@code ack} header in the
 * acknowledging modes), broadcasts to each subscription of the broadcast topic.
 * <p>
 * Each session has its own bounded outbox, so its messages leave in the order they were
 * handed over, a session that stops reading never holds up another or the sender, and it
 * never makes the node hold more than the outbox limits for it. A session whose outbox is
 * full is closed as a slow consumer (its stored messages wait for its replay), or, with
 * the drop policy, loses the messages that are not stored.
 */
public class LocalSessions {

	/**
	 * The ERROR text of a session closed because the application disconnected its user.
	 */
	public static final String DISCONNECT_TEXT = "Disconnected by the server";

	private static final Log logger = LogFactory.getLog(LocalSessions.class);

	// messages of a session handed to its connection before the earlier ones are
	// written: enough to keep a reading client's connection busy without a thread hop
	// per message, few enough that the outbox still holds what waits
	private static final int WRITES_AHEAD = 2;

	private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();

	private final Map<String, Set<LocalSession>> sessionsByUser = new ConcurrentHashMap<>();

	private final Settings settings;

	private final NotificationJson json;

	private final Supplier<MessageChannel> outboundChannel;

	private final TaskScheduler scheduler;

	private final NotifyStore store;

	private final Executor replayExecutor;

	private final Redelivery redelivery;

	private final WebSocketConnections connections;

	private final NotifyMetrics metrics;

	private final DroppedMessages drops;

	private final AtomicBoolean catchUpRunning = new AtomicBoolean();

	private final AtomicBoolean catchUpAgain = new AtomicBoolean();

	private final AtomicBoolean epochRead = new AtomicBoolean();

	// the store's epoch as last read, stamped on stored messages; read off the
	// transport thread, on replays
	private volatile String epoch;

	private volatile MessageChannel preparedOutboundChannel;

	private volatile boolean outboundCallbacks;

	private volatile boolean draining;

	/**
	 * Create the registry.
	 * @param settings destinations and limits
	 * @param json writes message bodies
	 * @param outboundChannel the {@code clientOutboundChannel}, looked up on first use
	 * @param scheduler runs token-expiry timers
	 * @param store reads replays, or {@code null} without a store
	 * @param replayExecutor runs replays and catch-ups off the transport thread
	 * @param redelivery tracks messages waiting for an ACK
	 * @param connections closes connections with an ERROR frame
	 * @param metrics records deliveries, drops and slow consumers
	 */
	public LocalSessions(Settings settings, NotificationJson json, Supplier<MessageChannel> outboundChannel,
			TaskScheduler scheduler, NotifyStore store, Executor replayExecutor, Redelivery redelivery,
			WebSocketConnections connections, NotifyMetrics metrics) {
		this.settings = settings;
		this.json = json;
		this.outboundChannel = outboundChannel;
		this.scheduler = scheduler;
		this.store = store;
		this.replayExecutor = replayExecutor;
		this.redelivery = redelivery;
		this.connections = connections;
		this.metrics = metrics;
		this.drops = new DroppedMessages(metrics);
	}

	/**
	 * Register a newly connected session and arm its token-expiry timer.
	 * @param sessionId the session id
	 * @param user the authenticated user
	 * @return the session
	 */
	public LocalSession open(String sessionId, NotifyUser user) {
		LocalSession session = new LocalSession(sessionId, user, Instant.now(),
				new SessionOutbox(outbound(), this.outboundCallbacks, this.settings.outboundQueueLimit(),
						this.settings.outboundQueueBytes(), this.drops,
						(written) -> this.connections.whenWritten(sessionId, WRITES_AHEAD, written)));
		this.sessions.put(sessionId, session);
		this.sessionsByUser.computeIfAbsent(user.id(), (key) -> ConcurrentHashMap.newKeySet()).add(session);
		if (user.expiresAt() != null) {
			session.expiry(this.scheduler.schedule(() -> expire(session), user.expiresAt()));
		}
		if (this.store != null && this.epoch == null && this.epochRead.compareAndSet(false, true)) {
			this.replayExecutor.execute(this::refreshEpoch);
		}
		return session;
	}

	/**
	 * Forget a session that ended.
	 * @param sessionId the session id
	 * @return the session, or {@code null} if it was not registered
	 */
	public LocalSession remove(String sessionId) {
		LocalSession session = this.sessions.remove(sessionId);
		if (session == null) {
			return null;
		}
		session.markClosing();
		forget(session, session.outbox().close());
		this.sessionsByUser.computeIfPresent(session.user().id(), (key, userSessions) -> {
			userSessions.remove(session);
			return userSessions.isEmpty() ? null : userSessions;
		});
		return session;
	}

	/**
	 * Return a session.
	 * @param sessionId the session id
	 * @return the session, or {@code null}
	 */
	public LocalSession get(String sessionId) {
		return this.sessions.get(sessionId);
	}

	/**
	 * Return the sessions of a user on this node.
	 * @param userId the user
	 * @return the sessions, empty if none
	 */
	public Set<LocalSession> sessionsOf(String userId) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(userId);
		return (userSessions != null) ? Set.copyOf(userSessions) : Set.of();
	}

	/**
	 * Return the users with at least one session on this node.
	 * @return the user ids
	 */
	public Set<String> userIds() {
		return Set.copyOf(this.sessionsByUser.keySet());
	}

	/**
	 * Return the number of distinct users connected to this node.
	 * @return the user count
	 */
	public int userCount() {
		return this.sessionsByUser.size();
	}

	/**
	 * Return the number of sessions connected to this node.
	 * @return the session count
	 */
	public int sessionCount() {
		return this.sessions.size();
	}

	/**
	 * Return the number of sessions of a user on this node.
	 * @param userId the user
	 * @return the session count
	 */
	public int sessionCount(String userId) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(userId);
		return (userSessions != null) ? userSessions.size() : 0;
	}

	/**
	 * Return the number of messages waiting in the outboxes of this node's sessions, the
	 * ones being written included.
	 * @return the count
	 */
	public int pendingOutbound() {
		int pending = 0;
		for (LocalSession session : this.sessions.values()) {
			pending += session.pendingMessages();
		}
		return pending;
	}

	/**
	 * Start a subscription to the user destination; with {@code since}, first replay the
	 * stored messages after that sequence number, then go live without a gap or a
	 * duplicate between the two.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param ackMode the ack mode
	 * @param since the last sequence number the client has, or {@code null} for no replay
	 */
	public void subscribe(String sessionId, String subscriptionId, AckMode ackMode, Long since) {
		subscribe(sessionId, subscriptionId, ackMode, since, null);
	}

	/**
	 * Start a subscription to the user destination; with {@code since}, first replay the
	 * stored messages after that sequence number, then go live without a gap or a
	 * duplicate between the two. A position the store cannot have handed out (of another
	 * epoch, or beyond the user's last sequence number) is answered with a
	 * {@code notify.reset} message, then a replay of every stored message of the user,
	 * then live messages: never with silence.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param ackMode the ack mode
	 * @param since the last sequence number the client has, or {@code null} for no replay
	 * @param epoch the store epoch of that position, or {@code null} if the client did
	 * not say
	 */
	public void subscribe(String sessionId, String subscriptionId, AckMode ackMode, Long since, String epoch) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || subscriptionId == null) {
			return;
		}
		boolean replay = since != null && this.store != null;
		UserSubscription subscription = new UserSubscription(subscriptionId, ackMode, replay ? since : null,
				this.settings.maxUnackedPerSubscription());
		session.addSubscription(subscription);
		if (replay) {
			queue(session, new ReplayJob(session, subscription, since, epoch, null));
		}
	}

	/**
	 * Start a subscription to the broadcast topic. Subscriptions to other destinations
	 * are left to the broker.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 * @param destination the subscribed destination
	 */
	public void subscribeBroadcast(String sessionId, String subscriptionId, String destination) {
		LocalSession session = this.sessions.get(sessionId);
		if (session != null && subscriptionId != null && this.settings.broadcastDestination().equals(destination)) {
			session.broadcastSubscriptions().add(subscriptionId);
		}
	}

	/**
	 * End a subscription.
	 * @param sessionId the session
	 * @param subscriptionId the STOMP subscription id
	 */
	public void unsubscribe(String sessionId, String subscriptionId) {
		LocalSession session = this.sessions.get(sessionId);
		if (session != null && subscriptionId != null) {
			session.removeSubscription(subscriptionId);
		}
	}

	/**
	 * Deliver a user message to every subscription of the user's sessions on this node.
	 * @param notification the message, addressed to a user
	 * @return the number of sessions it was handed to (or held back for, during a replay)
	 */
	public int deliver(Notification notification) {
		Set<LocalSession> userSessions = this.sessionsByUser.get(notification.userId());
		if (userSessions == null) {
			return 0;
		}
		if (this.draining) {
			if (!notification.isStored()) {
				this.drops.dropped("draining", () -> "message " + notification.id() + " for user "
						+ notification.userId() + ": this node shuts down");
			}
			return 0;
		}
		byte[][] body = new byte[1][];
		int reached = 0;
		boolean live = false;
		boolean subscribed = false;
		Instant now = Instant.now();
		for (LocalSession session : userSessions) {
			if (session.isClosing()) {
				continue;
			}
			if (session.isExpiredAt(now)) {
				expire(session);
				continue;
			}
			live = true;
			boolean handed = false;
			for (UserSubscription subscription : session.subscriptions()) {
				subscribed = true;
				boolean offered = subscription.offer(notification, (next) -> {
					if (body[0] == null) {
						body[0] = this.json.body(next);
					}
					send(session, subscription, next, body[0], false, null);
				});
				if (!offered) {
					this.drops.dropped("replay-overflow", subscription.takeOverflowDrops(),
							() -> "message " + notification.id() + " for session " + SessionLabels.of(session.id())
									+ ": more live messages than can be held back during its replay");
				}
				handed |= offered;
			}
			if (handed) {
				reached++;
			}
		}
		if (!live && !userSessions.isEmpty()) {
			this.drops.dropped("session-closed", () -> "message " + notification.id() + " for user "
					+ notification.userId() + ": its sessions here are closing");
		}
		else if (live && !subscribed) {
			// connected, but not (yet) subscribed to the user destination: a message
			// sent between CONNECT and SUBSCRIBE reaches no session here
			this.drops.dropped("not-subscribed",
					() -> "message " + notification.id() + " for user " + notification.userId()
							+ ": connected on this node but not subscribed to " + this.settings.userDestination()
							+ (notification.isStored() ? " (stored: replayed on SUBSCRIBE with notify-since)" : ""));
		}
		return reached;
	}

	/**
	 * Deliver a broadcast to every subscription of the broadcast topic on this node.
	 * @param notification the broadcast
	 */
	public void broadcast(Notification notification) {
		if (this.draining) {
			return;
		}
		byte[] body = null;
		for (LocalSession session : this.sessions.values()) {
			if (session.isClosing() || session.broadcastSubscriptions().isEmpty()) {
				continue;
			}
			if (body == null) {
				body = this.json.body(notification);
			}
			for (String subscriptionId : session.broadcastSubscriptions()) {
				enqueue(session, Frames.message(session.id(), subscriptionId, this.settings.broadcastDestination(),
						notification, body, null, false, null), body.length, false, 0);
			}
		}
	}

	/**
	 * Handle a client ACK or NACK.
	 * @param sessionId the session that sent it
	 * @param ackToken the {@code id} (or {@code message-id}) header of the frame
	 * @param positive {@code true} for ACK, {@code false} for NACK
	 * @return {@code true} if the token belonged to a message of this session
	 */
	public boolean acknowledge(String sessionId, String ackToken, boolean positive) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || ackToken == null) {
			return false;
		}
		for (UserSubscription subscription : session.subscriptions()) {
			List<Notification> covered = subscription.take(ackToken);
			if (!covered.isEmpty()) {
				for (Notification notification : covered) {
					if (positive) {
						this.redelivery.acknowledged(notification);
					}
					else {
						this.redelivery.rejected(notification);
					}
				}
				return true;
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Ignored " + (positive ? "ACK" : "NACK") + " in session " + SessionLabels.of(sessionId)
					+ " for a message that is not waiting for it");
		}
		return false;
	}

	/**
	 * Close a session with an ERROR frame that carries the given text.
	 * @param sessionId the session
	 * @param text the {@code message} header of the ERROR frame
	 */
	public void close(String sessionId, String text) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null || session.markClosing()) {
			if (session != null) {
				forget(session, session.outbox().close());
			}
			this.connections.closeWithError(sessionId, text, CloseStatus.POLICY_VIOLATION);
		}
	}

	/**
	 * Close every session of a user on this node that connected before a time, as a node
	 * does that learns of a disconnect it missed.
	 * @param userId the user
	 * @param before sessions that connected before this instant are closed
	 * @param text the {@code message} header of the ERROR frames
	 * @return the number of sessions closed
	 */
	public int closeUserConnectedBefore(String userId, Instant before, String text) {
		int closed = 0;
		for (LocalSession session : sessionsOf(userId)) {
			if (session.connectedAt().isBefore(before)) {
				close(session.id(), text);
				closed++;
			}
		}
		return closed;
	}

	/**
	 * Close every session of a user on this node.
	 * @param userId the user
	 * @param text the {@code message} header of the ERROR frames
	 * @return the number of sessions closed
	 */
	public int closeUser(String userId, String text) {
		Set<LocalSession> userSessions = sessionsOf(userId);
		userSessions.forEach((session) -> close(session.id(), text));
		return userSessions.size();
	}

	/**
	 * Close every session on this node.
	 * @param text the {@code message} header of the ERROR frames
	 */
	public void closeAll(String text) {
		this.sessions.keySet().forEach((sessionId) -> close(sessionId, text));
	}

	/**
	 * Stop taking new sessions and new messages, as the node shuts down: messages stay in
	 * the store for the replay of the clients' next sessions, and the ones already in the
	 * outboxes are still written.
	 */
	public void startDraining() {
		this.draining = true;
	}

	/**
	 * Whether the node is shutting down and takes no new sessions.
	 * @return {@code true} while draining
	 */
	public boolean isDraining() {
		return this.draining;
	}

	/**
	 * Close every session, without waiting, with an ERROR frame that tells the client to
	 * reconnect (to another node) and close status 1012 (service restart).
	 * @param text the {@code message} header of the ERROR frames
	 * @param headers further headers of each ERROR frame, asked once per session
	 * @return futures that complete when each connection is closed
	 */
	public List<CompletableFuture<Boolean>> closeAllForRestart(String text, Supplier<Map<String, String>> headers) {
		List<CompletableFuture<Boolean>> closed = new ArrayList<>();
		for (LocalSession session : this.sessions.values()) {
			session.markClosing();
			forget(session, session.outbox().close());
			closed.add(this.connections.closeWithErrorAsync(session.id(), text, CloseStatus.SERVICE_RESTARTED,
					headers.get()));
		}
		return closed;
	}

	/**
	 * Whether the session's token has expired; if so, close it.
	 * @param sessionId the session
	 * @return {@code true} if the session must not get messages any more
	 */
	public boolean isExpired(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null) {
			return false;
		}
		if (session.isExpiredAt(Instant.now())) {
			expire(session);
			return true;
		}
		return false;
	}

	/**
	 * Catch every subscription that knows its position up with the stored messages after
	 * it, because this node may have missed relays: its link to Redis dropped, or a node
	 * died between storing a message and relaying it. Runs in the background, page by
	 * page on each session's replay lane, with the same hold-back as a replay, so that
	 * live and caught-up messages have no gap between them; live messages wait for one
	 * page at most, and the server goes on with the next page by itself. Requests that
	 * come while a catch-up runs lead to one more run after it.
	 * @param reason why, for the log
	 */
	public void catchUp(String reason) {
		if (this.store == null || this.draining) {
			return;
		}
		this.catchUpAgain.set(true);
		if (!this.catchUpRunning.compareAndSet(false, true)) {
			return;
		}
		try {
			this.replayExecutor.execute(() -> startCatchUps(reason));
		}
		catch (RuntimeException ex) {
			this.catchUpRunning.set(false);
			logger.warn("Catch-up of local sessions could not start: " + ex);
		}
	}

	private void startCatchUps(String reason) {
		CatchUpRun run = new CatchUpRun(reason);
		try {
			this.catchUpAgain.set(false);
			for (LocalSession session : List.copyOf(this.sessions.values())) {
				for (UserSubscription subscription : session.subscriptions()) {
					if (session.isClosing() || this.draining) {
						break;
					}
					long position = subscription.beginCatchUp();
					if (position >= 0) {
						run.add();
						queue(session, new ReplayJob(session, subscription, position, null, run));
					}
				}
			}
		}
		finally {
			run.jobDone(0);
		}
	}

	private void expire(LocalSession session) {
		if (!session.isClosing()) {
			logger.info("Closing STOMP session " + SessionLabels.of(session.id()) + ": token expired");
			close(session.id(), "Token expired");
		}
	}

	private void queue(LocalSession session, ReplayJob job) {
		ReplayLane.Job replaced = session.replays().add(job);
		if (replaced != null) {
			replaced.abandon();
		}
		schedule(session);
	}

	private void schedule(LocalSession session) {
		if (session.replays().claim()) {
			executeTurn(session);
		}
	}

	private void executeTurn(LocalSession session) {
		try {
			this.replayExecutor.execute(() -> turn(session));
		}
		catch (RuntimeException ex) {
			// the pool is shut down: the node is stopping
			logger.debug("Replay of session " + SessionLabels.of(session.id()) + " not run: " + ex);
		}
	}

	// one page of the session's current replay; a session that needs more queues its
	// next turn behind the other sessions' turns
	private void turn(LocalSession session) {
		ReplayLane lane = session.replays();
		boolean again = false;
		try {
			ReplayLane.Job current = lane.current();
			if (current instanceof ReplayJob job) {
				Step step = job.step();
				if (step == Step.DONE) {
					lane.finished(job);
				}
				again = step == Step.NEXT_PAGE;
			}
		}
		finally {
			if (lane.release(again)) {
				executeTurn(session);
			}
		}
	}

	private enum Step {

		// the job is over
		DONE,

		// it has another page
		NEXT_PAGE,

		// the session's outbox is full: it goes on once there is room
		WAITING

	}

	/**
	 * A replay after the client's notify-since (one page, continued by the client after
	 * notify-replay-more) or a catch-up (continued page by page by the server). It never
	 * waits for a session: when the outbox is full, it ends its turn and goes on when the
	 * outbox has room; a session that makes none within the send time limit is closed as
	 * a slow consumer.
	 */
	private final class ReplayJob implements ReplayLane.Job {

		private final LocalSession session;

		private final UserSubscription subscription;

		private final String clientEpoch;

		// the catch-up this job belongs to, or null for a client's replay
		private final CatchUpRun run;

		private long since;

		private long upTo;

		private boolean started;

		private List<StoredMessage> page;

		private int index;

		private boolean more;

		private boolean flushing;

		private Notification held;

		private int sent;

		// when the job found the outbox full, 0 while it has room
		private volatile long waitingSince;

		private ScheduledFuture<?> slowConsumerCheck;

		ReplayJob(LocalSession session, UserSubscription subscription, long since, String clientEpoch, CatchUpRun run) {
			this.session = session;
			this.subscription = subscription;
			this.since = since;
			this.upTo = since;
			this.clientEpoch = clientEpoch;
			this.run = run;
		}

		@Override
		public String subscriptionId() {
			return this.subscription.id();
		}

		@Override
		public void abandon() {
			if (this.run != null) {
				this.run.jobDone(0);
			}
		}

		Step step() {
			try {
				return proceed();
			}
			catch (RuntimeException ex) {
				logger.warn(((this.run != null) ? "Catch-up" : "Replay") + " after seq " + this.since
						+ " failed in session " + SessionLabels.of(this.session.id()) + ": " + ex);
				close(this.session.id(), "Replay failed, reconnect");
				this.subscription.endReplay(this.upTo, false);
				finish();
				return Step.DONE;
			}
		}

		private Step proceed() {
			if (!this.flushing) {
				if (this.page == null) {
					readPage();
				}
				boolean catchUp = this.run != null;
				int count = Math.min(this.page.size(), LocalSessions.this.settings.replayLimit());
				while (this.index < count && isActive(this.session, this.subscription)) {
					Notification notification = Notification.of(this.page.get(this.index));
					long seq = notification.seq();
					// a catch-up skips what live delivery brought past a gap
					if (catchUp && this.subscription.hasSent(seq)) {
						this.upTo = seq;
						this.index++;
						continue;
					}
					boolean last = !catchUp && this.more && this.index == count - 1;
					// seqs of a user have no holes: one here is a message that expired or
					// was deleted, and the client is told instead of left to guess
					String gap = (!catchUp && seq > this.upTo + 1) ? (this.upTo + 1) + "-" + (seq - 1) : null;
					byte[] body = LocalSessions.this.json.body(notification);
					if (!hasRoom(body.length)) {
						return Step.WAITING;
					}
					send(this.session, this.subscription, notification, body, last, gap);
					this.sent++;
					this.upTo = seq;
					this.index++;
				}
				if (logger.isDebugEnabled()) {
					logger.debug((catchUp ? "Caught up " : "Replayed ") + this.sent + " message(s) up to seq "
							+ this.upTo + " in session " + SessionLabels.of(this.session.id())
							+ (this.more ? ", more pending" : ""));
				}
				// a catch-up page ends like a complete replay: live messages flow again
				// at
				// once, and the next page skips what they brought
				this.subscription.endReplay(this.upTo, this.more && !catchUp);
				this.flushing = true;
			}
			while (isActive(this.session, this.subscription)) {
				if (this.held == null) {
					this.held = this.subscription.nextHeld();
				}
				if (this.held == null) {
					break;
				}
				if (this.held == UserSubscription.GAP) {
					this.held = null;
					logger.warn("Closing STOMP session " + SessionLabels.of(this.session.id()) + ": more than "
							+ LocalSessions.this.settings.maxUnackedPerSubscription()
							+ " live messages arrived during its replay");
					close(this.session.id(), "Too many messages during replay, subscribe again with notify-since");
					break;
				}
				byte[] body = LocalSessions.this.json.body(this.held);
				if (!hasRoom(body.length)) {
					return Step.WAITING;
				}
				send(this.session, this.subscription, this.held, body, false, null);
				this.held = null;
			}
			if (this.run != null && this.more && isActive(this.session, this.subscription)) {
				long position = this.subscription.beginCatchUp();
				if (position >= 0) {
					this.since = position;
					this.upTo = position;
					this.page = null;
					this.flushing = false;
					return Step.NEXT_PAGE;
				}
			}
			finish();
			return Step.DONE;
		}

		private void readPage() {
			String user = this.session.user().id();
			if (this.run == null && !this.started) {
				this.started = true;
				String current = refreshEpoch();
				long last = LocalSessions.this.store.lastSeq(user);
				boolean otherEpoch = this.clientEpoch != null && current != null && !this.clientEpoch.equals(current);
				if (otherEpoch || this.since > last) {
					// the position is not one this store handed out (it was reset,
					// recreated or restored): holding back every seq up to it would
					// mute the user, so the client is told and gets everything
					logger.info("Session " + SessionLabels.of(this.session.id()) + " of user '" + user
							+ "' subscribed after seq " + this.since + (otherEpoch ? " of another store epoch" : "")
							+ ", beyond the last seq " + last + " of epoch " + current + "; replaying from the start");
					sendReset(this.session, this.subscription, current, this.since, last);
					this.since = 0;
					this.upTo = 0;
					this.subscription.restart(0);
				}
			}
			int limit = LocalSessions.this.settings.replayLimit();
			this.page = LocalSessions.this.store.findAfter(user, this.since, limit + 1);
			this.more = this.page.size() > limit;
			this.index = 0;
		}

		// whether the next message fits the outbox; if not, the job goes on once it does,
		// and a session that makes no room within the send time limit is a slow consumer
		private boolean hasRoom(int size) {
			if (this.session.outbox().hasRoomOrCall(size, () -> schedule(this.session))) {
				if (this.waitingSince != 0) {
					this.waitingSince = 0;
					this.slowConsumerCheck.cancel(false);
				}
				return true;
			}
			if (this.waitingSince == 0) {
				long since = System.nanoTime();
				this.waitingSince = since;
				this.slowConsumerCheck = LocalSessions.this.scheduler.schedule(() -> {
					if (this.waitingSince == since) {
						closeSlowConsumer(this.session);
					}
				}, Instant.now().plus(LocalSessions.this.settings.sendTimeLimit()));
			}
			return false;
		}

		private void finish() {
			if (this.run != null) {
				this.run.jobDone(this.sent);
			}
		}

	}

	/**
	 * One catch-up of every local subscription: logs once all its jobs are done, then
	 * starts another run if one was asked for meanwhile.
	 */
	private final class CatchUpRun {

		private final String reason;

		private final long start = System.nanoTime();

		// the jobs, and the enumeration that queues them
		private final AtomicInteger pending = new AtomicInteger(1);

		private final AtomicInteger subscriptions = new AtomicInteger();

		private final AtomicInteger sent = new AtomicInteger();

		CatchUpRun(String reason) {
			this.reason = reason;
		}

		void add() {
			this.pending.incrementAndGet();
			this.subscriptions.incrementAndGet();
		}

		void jobDone(int count) {
			this.sent.addAndGet(count);
			if (this.pending.decrementAndGet() == 0) {
				if (this.subscriptions.get() > 0) {
					logger.info("Caught up " + this.subscriptions.get() + " subscription(s) with " + this.sent.get()
							+ " missed message(s) in " + Duration.ofNanos(System.nanoTime() - this.start).toMillis()
							+ " ms (" + this.reason + ")");
				}
				LocalSessions.this.catchUpRunning.set(false);
				if (LocalSessions.this.catchUpAgain.get() && !LocalSessions.this.draining) {
					catchUp(this.reason);
				}
			}
		}

	}

	private void sendReset(LocalSession session, UserSubscription subscription, String current, long since, long last) {
		String payload = "{\"epoch\":" + jsonString(current) + ",\"since\":0,\"previousSince\":" + since
				+ ",\"lastSeq\":" + last + "}";
		Notification reset = new Notification(NotifyIds.next(), Frames.RESET_TYPE, payload, Instant.now(), null,
				session.user().id(), 0, null);
		byte[] body = this.json.body(reset);
		enqueue(session, Frames.message(session.id(), subscription.id(), this.settings.userDestination(), reset, body,
				null, false, null, current, true), body.length, true, 0);
	}

	// reads the store's epoch and keeps it for live messages
	private String refreshEpoch() {
		try {
			String current = this.store.epoch();
			this.epoch = current;
			return current;
		}
		catch (RuntimeException ex) {
			logger.debug("Reading the store epoch failed: " + ex);
			throw ex;
		}
	}

	private static String jsonString(String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder json = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	private static boolean isActive(LocalSession session, UserSubscription subscription) {
		return !session.isClosing() && session.subscription(subscription.id()) == subscription;
	}

	// never waits: live delivery hands over and goes on, a replay checks for room first
	private void send(LocalSession session, UserSubscription subscription, Notification notification, byte[] body,
			boolean replayMore, String gap) {
		String ackToken = null;
		if (subscription.ackMode() != AckMode.AUTO && notification.isStored()) {
			ackToken = newAckToken();
			String dropped = subscription.remember(ackToken, notification);
			if (dropped != null && logger.isDebugEnabled()) {
				logger.debug("Session " + SessionLabels.of(session.id())
						+ " has too many unacknowledged messages; the oldest is left" + " for replay");
			}
			this.redelivery.track(notification);
		}
		Message<byte[]> message = Frames.message(session.id(), subscription.id(), this.settings.userDestination(),
				notification, body, ackToken, replayMore, gap, notification.isStored() ? this.epoch : null, false);
		if (notification.isStored()) {
			subscription.sent(notification.seq());
		}
		if (enqueue(session, message, body.length, notification.isStored(), 0)) {
			this.metrics.messageDelivered((notification.sentAt() != null && notification.attempt() == 0)
					? Duration.between(notification.sentAt(), Instant.now()) : null);
		}
	}

	// hands a message to the session's outbox; a full outbox drops what may be dropped
	// and otherwise closes the session as a slow consumer
	private boolean enqueue(LocalSession session, Message<byte[]> message, int size, boolean stored, long waitNanos) {
		SessionOutbox.Offer offer = session.outbox().offer(message, size, waitNanos);
		if (offer == SessionOutbox.Offer.QUEUED) {
			return true;
		}
		if (offer == SessionOutbox.Offer.FULL) {
			if (!stored && this.settings.dropWhenFull()) {
				this.drops.dropped("slow-consumer",
						() -> "a message for session " + SessionLabels.of(session.id()) + ": its outbox is full");
			}
			else {
				closeSlowConsumer(session);
			}
		}
		else {
			this.drops.dropped("session-closed",
					() -> "a message for session " + SessionLabels.of(session.id()) + ": it is closing");
		}
		return false;
	}

	// messages queued for a session that closes never reach it (stored ones are replayed)
	private void forget(LocalSession session, int forgotten) {
		this.drops.dropped("session-closed", forgotten, () -> forgotten + " message(s) queued for session "
				+ SessionLabels.of(session.id()) + ", which closed");
	}

	private void closeSlowConsumer(LocalSession session) {
		if (!session.markClosing()) {
			return;
		}
		int forgotten = session.outbox().close();
		this.drops.dropped("slow-consumer", forgotten, () -> forgotten + " message(s) queued for session "
				+ SessionLabels.of(session.id()) + ", closed as a slow consumer");
		logger.info("Closing STOMP session " + SessionLabels.of(session.id()) + " of user '" + session.user().id()
				+ "': it does not keep up with its messages (" + forgotten + " queued, left for its replay)");
		this.connections.closeSlowConsumer(session.id());
	}

	/**
	 * Prepare the {@code clientOutboundChannel} for ordered per-session delivery. Call it
	 * once the channel exists and before the first client connects: preparing it adds an
	 * interceptor, which must not happen while other threads send on the channel.
	 * Preparing it again does nothing.
	 */
	public void prepareOutboundChannel() {
		outbound();
	}

	private MessageChannel outbound() {
		MessageChannel channel = this.preparedOutboundChannel;
		if (channel == null) {
			synchronized (this) {
				channel = this.preparedOutboundChannel;
				if (channel == null) {
					channel = this.outboundChannel.get();
					this.outboundCallbacks = SessionOutbox.configure(channel);
					this.preparedOutboundChannel = channel;
				}
			}
		}
		return channel;
	}

	private static String newAckToken() {
		byte[] bytes = new byte[12];
		ThreadLocalRandom.current().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Destinations and limits of local delivery.
	 *
	 * @param userDestination the destination clients subscribe to for their own messages,
	 * with the user prefix ({@code /user/queue/notify})
	 * @param broadcastDestination the broadcast topic
	 * @param replayLimit the most stored messages one replay sends
	 * @param maxUnackedPerSubscription the most messages a subscription may leave
	 * unacknowledged before the oldest are left for replay, and the most live messages
	 * held back while it replays
	 * @param outboundQueueLimit the most messages waiting to be written to one session
	 * @param outboundQueueBytes the most message bytes waiting to be written to one
	 * session
	 * @param dropWhenFull {@code true} to drop messages that are not stored when a
	 * session's outbox is full, {@code false} to close the session
	 * @param sendTimeLimit the longest time a replay waits for room in a session's outbox
	 * before the session is closed as a slow consumer
	 */
	public record Settings(String userDestination, String broadcastDestination, int replayLimit,
			int maxUnackedPerSubscription, int outboundQueueLimit, long outboundQueueBytes, boolean dropWhenFull,
			Duration sendTimeLimit) {

	}

}
