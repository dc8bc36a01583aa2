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

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.TaskScheduler;

import io.github.notifystomp.delivery.Notification;
import io.github.notifystomp.store.NotifyStore;
import io.github.notifystomp.store.StoredMessage;
import io.github.notifystomp.transport.internal.SessionLabels;

/**
 * Replays (after a client's {@code notify-since}) and catch-ups (after this node may have
 * missed relays) of this node's sessions. Each session has a lane that runs one page at a
 * time on the replay executor, so that no session's replay holds up another's, and none
 * runs on the thread that handles a client's frames.
 */
final class Replays {

	private static final Log logger = LogFactory.getLog(Replays.class);

	private final LocalSessions sessions;

	private final SessionWriter writer;

	private final DeliverySettings settings;

	private final NotificationJson json;

	private final NotifyStore store;

	private final TaskScheduler scheduler;

	private final Executor replayExecutor;

	private final AtomicBoolean catchUpRunning = new AtomicBoolean();

	private final AtomicBoolean catchUpAgain = new AtomicBoolean();

	Replays(LocalSessions sessions, SessionWriter writer, DeliverySettings settings, NotificationJson json,
			NotifyStore store, TaskScheduler scheduler, Executor replayExecutor) {
		this.sessions = sessions;
		this.writer = writer;
		this.settings = settings;
		this.json = json;
		this.store = store;
		this.scheduler = scheduler;
		this.replayExecutor = replayExecutor;
	}

	/**
	 * Replay the stored messages after a position to a new subscription.
	 * @param session the session
	 * @param subscription its subscription
	 * @param since the client's position
	 * @param clientEpoch the store epoch of that position, or {@code null} if unknown
	 */
	void replay(LocalSession session, UserSubscription subscription, long since, String clientEpoch) {
		queue(session, new ReplayJob(session, subscription, since, clientEpoch, null));
	}

	/**
	 * Catch every subscription that knows its position up with the stored messages after
	 * it; see {@link LocalSessions#catchUp(String)}.
	 * @param reason why, for the log
	 */
	void catchUp(String reason) {
		if (this.store == null || this.sessions.isDraining()) {
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
		CatchUpRun run = new CatchUpRun(reason, () -> {
			this.catchUpRunning.set(false);
			if (this.catchUpAgain.get() && !this.sessions.isDraining()) {
				catchUp(reason);
			}
		});
		try {
			this.catchUpAgain.set(false);
			for (LocalSession session : this.sessions.all()) {
				for (UserSubscription subscription : session.subscriptions()) {
					if (session.isClosing() || this.sessions.isDraining()) {
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
				Replays.this.sessions.close(this.session.id(), "Replay failed, reconnect");
				this.subscription.endReplay(this.upTo, false);
				finish();
				return Step.DONE;
			}
		}

		private Step proceed() {
			if (!this.flushing && !sendPage()) {
				return Step.WAITING;
			}
			if (!sendHeld()) {
				return Step.WAITING;
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

		// the page from the store; false when the outbox is full
		private boolean sendPage() {
			if (this.page == null) {
				readPage();
			}
			boolean catchUp = this.run != null;
			int count = Math.min(this.page.size(), Replays.this.settings.replayLimit());
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
				byte[] body = Replays.this.json.body(notification);
				if (!hasRoom(body.length)) {
					return false;
				}
				Replays.this.writer.send(this.session, this.subscription, notification, body,
						new Frames.Replayed(last, gap));
				this.sent++;
				this.upTo = seq;
				this.index++;
			}
			if (logger.isDebugEnabled()) {
				logger.debug((catchUp ? "Caught up " : "Replayed ") + this.sent + " message(s) up to seq " + this.upTo
						+ " in session " + SessionLabels.of(this.session.id()) + (this.more ? ", more pending" : ""));
			}
			// a catch-up page ends like a complete replay: live messages flow again at
			// once, and the next page skips what they brought
			this.subscription.endReplay(this.upTo, this.more && !catchUp);
			this.flushing = true;
			return true;
		}

		// the live messages held back while the page was sent; false when the
		// outbox is full
		private boolean sendHeld() {
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
							+ Replays.this.settings.maxUnackedPerSubscription()
							+ " live messages arrived during its replay");
					Replays.this.sessions.close(this.session.id(),
							"Too many messages during replay, subscribe again with notify-since");
					break;
				}
				byte[] body = Replays.this.json.body(this.held);
				if (!hasRoom(body.length)) {
					return false;
				}
				Replays.this.writer.send(this.session, this.subscription, this.held, body);
				this.held = null;
			}
			return true;
		}

		private void readPage() {
			String user = this.session.user().id();
			if (this.run == null && !this.started) {
				this.started = true;
				String current = Replays.this.writer.refreshEpoch();
				long last = Replays.this.store.lastSeq(user);
				boolean otherEpoch = this.clientEpoch != null && current != null && !this.clientEpoch.equals(current);
				if (otherEpoch || this.since > last) {
					// the position is not one this store handed out (it was reset,
					// recreated or restored): holding back every seq up to it would
					// mute the user, so the client is told and gets everything
					logger.info("Session " + SessionLabels.of(this.session.id()) + " of user '" + user
							+ "' subscribed after seq " + this.since + (otherEpoch ? " of another store epoch" : "")
							+ ", beyond the last seq " + last + " of epoch " + current + "; replaying from the start");
					Replays.this.writer.sendReset(this.session, this.subscription, current, this.since, last);
					this.since = 0;
					this.upTo = 0;
					this.subscription.restart(0);
				}
			}
			int limit = Replays.this.settings.replayLimit();
			this.page = Replays.this.store.findAfter(user, this.since, limit + 1);
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
				this.slowConsumerCheck = Replays.this.scheduler.schedule(() -> {
					if (this.waitingSince == since) {
						Replays.this.writer.closeSlowConsumer(this.session);
					}
				}, Instant.now().plus(Replays.this.settings.sendTimeLimit()));
			}
			return false;
		}

		private void finish() {
			if (this.run != null) {
				this.run.jobDone(this.sent);
			}
		}

	}

	private static boolean isActive(LocalSession session, UserSubscription subscription) {
		return !session.isClosing() && session.subscription(subscription.id()) == subscription;
	}

}
