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

package io.github.notifystomp.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.github.notifystomp.delivery.internal.DrainParticipant;
import io.github.notifystomp.delivery.internal.LocalSessions;

/**
 * Joins this node to the cluster and keeps it there: renews the node's lease and its
 * presence entries every third of the lease, subscribes to the relay channels (again and
 * again while the first subscription fails, for example when Redis is down at startup),
 * and on a clean shutdown, or as soon as the node starts draining, removes the node's
 * entries at once and unsubscribes.
 * <p>
 * Relays are at-most-once, so after anything that may have lost some, and once the node
 * is back in the cluster (renewed and subscribed), it catches its sessions up from the
 * store: after Redis was unreachable, after Redisson subscribed the relay channels again,
 * and after another node left the cluster (it may have stored messages it never relayed).
 * A node whose own relays of stored messages failed asks every node to catch up.
 * <p>
 * The timer runs on the starter's scheduler; the Redis calls run on one thread of their
 * own, since Redisson may block the calling thread while it connects.
 */
public class ClusterLifecycle implements SmartLifecycle, DrainParticipant {

	private static final Log logger = LogFactory.getLog(ClusterLifecycle.class);

	private static final long REDIS_7 = 0x070000;

	// the first call also connects the (lazy) client and fills its pool; nobody waits for
	// it, so it may take longer than a renewal
	private static final Duration FIRST_CONTACT = Duration.ofSeconds(30);

	private final RedisScripts scripts;

	private final RedisKeys keys;

	private final String keyPrefix;

	private final boolean redisCluster;

	private final ClusterStatus status;

	private final LocalSessions sessions;

	private final RedisPresenceRegistry presence;

	private final RedisClusterRelay relay;

	private final TaskScheduler scheduler;

	private final long leaseMillis;

	private final Duration renewInterval;

	private final Duration timeout;

	private final String instance = UUID.randomUUID().toString();

	private final AtomicBoolean renewing = new AtomicBoolean();

	private volatile ExecutorService executor;

	private volatile ScheduledFuture<?> timer;

	private volatile boolean stopping;

	private volatile long lastRenewalNanos;

	// the presence registry's count of sessions accepted without Redis that the last
	// renewal registered
	private volatile long registeredLocalOnlyAdds;

	private volatile boolean contacted;

	private volatile boolean announced;

	private volatile boolean duplicateReported;

	// live node id -> instance token at the last renewal; only the cluster thread uses it
	private Map<String, String> knownNodes = Map.of();

	/**
	 * Create the lifecycle.
	 * @param redisson the Redis client
	 * @param status the state of the link to Redis
	 * @param sessions this node's sessions, whose count the node lease carries
	 * @param presence the Redis presence registry, or {@code null} if the application
	 * replaced it
	 * @param relay tells the other nodes, and listens to them
	 * @param scheduler runs the renewal timer
	 * @param settings key prefix, lease and timeout
	 */
	public ClusterLifecycle(RedissonClient redisson, ClusterStatus status, LocalSessions sessions,
			RedisPresenceRegistry presence, RedisClusterRelay relay, TaskScheduler scheduler, Settings settings) {
		this.scripts = new RedisScripts(redisson);
		this.keys = new RedisKeys(settings.keyPrefix());
		this.keyPrefix = settings.keyPrefix();
		this.redisCluster = redisson.getConfig().isClusterConfig();
		this.status = status;
		this.sessions = sessions;
		this.presence = presence;
		this.relay = relay;
		this.scheduler = scheduler;
		this.leaseMillis = settings.presenceLease().toMillis();
		this.renewInterval = settings.presenceLease().dividedBy(3);
		this.timeout = (settings.publishTimeout().compareTo(this.renewInterval) > 0) ? settings.publishTimeout()
				: this.renewInterval;
	}

	@Override
	public void start() {
		this.stopping = false;
		this.status.started();
		this.executor = Executors.newSingleThreadExecutor(threadFactory());
		if (this.presence != null) {
			this.presence.activate();
		}
		this.relay.activate();
		startTimer();
	}

	private void startTimer() {
		Duration tick = (this.renewInterval.compareTo(Duration.ofSeconds(1)) < 0) ? this.renewInterval
				: Duration.ofSeconds(1);
		this.timer = this.scheduler.scheduleWithFixedDelay(this::tick, tick);
	}

	@Override
	public void stop() {
		stopRenewing();
		this.stopping = true;
		this.relay.deactivate();
		ExecutorService executor = this.executor;
		if (executor != null) {
			// Never interrupt: a Redisson client interrupted while it connects
			// lazily takes itself for connected. Let a running renewal finish (it
			// cleans up after itself when it sees the stop): Redisson's own shutdown
			// would otherwise wait for its command for the whole shutdown timeout.
			executor.shutdown();
			try {
				executor.awaitTermination(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
		leave();
		this.status.stopped();
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Leave the cluster at once when the node starts draining: other nodes stop routing
	 * to it, and its users count as offline until they reconnect elsewhere.
	 */
	@Override
	public void onDrain() {
		if (isRunning()) {
			stop();
		}
	}

	/**
	 * Stop renewing the lease without leaving, as a node that froze or lost its network
	 * would; its entries stop counting when the lease runs out.
	 */
	void stopRenewing() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			timer.cancel(false);
		}
		this.timer = null;
	}

	/**
	 * Renew again after {@link #stopRenewing()}, as a node whose network came back would.
	 */
	void resumeRenewing() {
		if (this.timer == null && isRunning() && !this.stopping) {
			startTimer();
		}
	}

	private void tick() {
		this.relay.settleRelayGaps();
		ExecutorService executor = this.executor;
		if (executor == null || this.stopping || !this.renewing.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(() -> {
				try {
					if (isDue()) {
						renew();
					}
				}
				finally {
					this.renewing.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.renewing.set(false);
		}
	}

	private boolean isDue() {
		return !this.status.isRedisReachable() || !this.relay.isSubscribed() || this.status.isCatchUpRequested()
				|| this.relay.hasLostRelays() || this.relay.hasPendingRevocations() || hasUnregisteredSessions()
				|| System.nanoTime() - this.lastRenewalNanos >= this.renewInterval.toNanos();
	}

	private boolean hasUnregisteredSessions() {
		return this.presence != null && this.presence.localOnlyAdds() != this.registeredLocalOnlyAdds;
	}

	private void renew() {
		Deadline deadline = Deadline
			.in((!this.contacted && FIRST_CONTACT.compareTo(this.timeout) > 0) ? FIRST_CONTACT : this.timeout);
		try {
			List<Object> beat = deadline.await(
					this.scripts.run(RedisScripts.NODE_BEAT, ReturnType.LIST,
							List.of(this.keys.nodes(), this.keys.nodeSessions(), this.keys.nodeInstances()),
							this.status.nodeId(), this.leaseMillis, this.sessions.sessionCount(), this.instance),
					"node lease");
			long version = ((Number) beat.get(0)).longValue();
			checkUnique(String.valueOf(beat.get(1)));
			noticeDepartures(beat);
			if (this.stopping) {
				abandon(deadline);
				return;
			}
			// read before the renewal's snapshot of the sessions: every session counted
			// here is in it
			long localOnlyAdds = (this.presence != null) ? this.presence.localOnlyAdds() : 0;
			int renewed = (this.presence != null) ? this.presence.renew(deadline) : this.sessions.sessionCount();
			if (!this.relay.isSubscribed()) {
				boolean sharded = this.redisCluster && version >= REDIS_7;
				deadline.await(this.relay.subscribe(sharded), "relay subscribe");
				announce(sharded);
			}
			if (this.stopping) {
				abandon(deadline);
				return;
			}
			this.lastRenewalNanos = System.nanoTime();
			if (localOnlyAdds != this.registeredLocalOnlyAdds) {
				// a relay sent before a session was registered here missed it, even
				// if the renewal that brought Redis back had caught up already (its
				// snapshot predated the session, or Redis failed again meanwhile)
				this.status.requestCatchUp("sessions accepted without Redis were registered");
				this.registeredLocalOnlyAdds = localOnlyAdds;
			}
			this.contacted = true;
			this.status.subscribed(this.relay.isSubscribed(), this.relay.isSharded());
			this.status.renewed(Instant.now(), renewed);
			catchUp(deadline);
		}
		catch (Deadline.RedisCallException ex) {
			this.status.failed(ex.operation(), ex.getCause());
		}
		catch (RuntimeException ex) {
			this.status.failed("renewal", ex);
		}
	}

	// back in the cluster: what was relayed here while the node was away comes from the
	// store, and the other nodes hear of what it could not relay
	private void catchUp(Deadline deadline) {
		if (this.relay.isSubscribed()) {
			if (this.relay.hasLostRelays()) {
				this.relay.requestClusterCatchUp(deadline);
			}
			if (this.relay.hasPendingRevocations()) {
				this.relay.tellPendingRevocations(deadline);
			}
			String reason = this.status.takeCatchUpRequest();
			if (reason != null) {
				this.relay.catchUpRevocations(deadline);
				this.sessions.catchUp(reason);
			}
		}
	}

	// a node that left (or restarted under the same id)
	// may have stored messages that it never relayed
	private void noticeDepartures(List<Object> beat) {
		Map<String, String> live = new HashMap<>();
		for (int i = 2; i + 1 < beat.size(); i += 2) {
			live.put(String.valueOf(beat.get(i)), String.valueOf(beat.get(i + 1)));
		}
		List<String> departed = new ArrayList<>();
		this.knownNodes.forEach((node, instance) -> {
			if (!node.equals(this.status.nodeId()) && !instance.equals(live.get(node))) {
				departed.add(node);
			}
		});
		this.knownNodes = live;
		if (!departed.isEmpty()) {
			this.status.requestCatchUp("node(s) " + String.join(", ", departed) + " left the cluster");
		}
	}

	// after our own first beat the token is ours, unless another running node has our id
	private void checkUnique(String previous) {
		if (this.contacted && !previous.isEmpty() && !previous.equals(this.instance) && !this.duplicateReported) {
			this.duplicateReported = true;
			logger.warn("notify-stomp cluster: another running node uses the node id " + this.status.nodeId()
					+ "; both receive the same relays and share presence entries. Give every node its own"
					+ " notify.stomp.cluster.node-id, or leave it unset to generate one.");
		}
	}

	private void announce(boolean sharded) {
		if (!this.announced) {
			this.announced = true;
			logger.info("notify-stomp cluster: node " + this.status.nodeId() + " relays on "
					+ (sharded ? "sharded channels (Redis Cluster, Redis 7+)" : (this.redisCluster
							? "classic channels (Redis Cluster before Redis 7)" : "classic channels"))
					+ " with key prefix " + this.keyPrefix);
		}
	}

	// without Redis (or before it ever answered) there is nothing to clean: the entries
	// expire with the lease, and a call could block while Redisson tries to connect
	private void leave() {
		Deadline deadline = Deadline.in(this.timeout);
		try {
			if (this.presence != null) {
				this.presence.leave(deadline);
			}
			if (this.status.isRedisReachable()) {
				deadline.await(this.scripts.run(RedisScripts.NODE_LEAVE, ReturnType.LONG,
						List.of(this.keys.nodes(), this.keys.nodeSessions(), this.keys.nodeInstances()),
						this.status.nodeId()), "node leave");
			}
			if (this.status.isSubscribed()) {
				deadline.await(this.relay.unsubscribe(), "relay unsubscribe");
			}
		}
		catch (Deadline.RedisCallException ex) {
			logger.warn("notify-stomp cluster: node " + this.status.nodeId()
					+ " could not remove its entries from Redis; they expire with the lease (" + ex.getMessage() + ")");
		}
	}

	// a renewal that was still waiting for Redis when the node stopped: stop() could not
	// clean up, so the renewal does, now that Redis answered
	private void abandon(Deadline deadline) {
		try {
			if (this.presence != null) {
				this.presence.removeAll(deadline);
			}
			deadline.await(this.scripts.run(RedisScripts.NODE_LEAVE, ReturnType.LONG,
					List.of(this.keys.nodes(), this.keys.nodeSessions(), this.keys.nodeInstances()),
					this.status.nodeId()), "node leave");
			deadline.await(this.relay.unsubscribe(), "relay unsubscribe");
		}
		catch (RuntimeException ex) {
			// the client may be shutting down: the entries expire with the lease
		}
	}

	private CustomizableThreadFactory threadFactory() {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("notify-stomp-cluster-");
		factory.setDaemon(true);
		return factory;
	}

	/**
	 * Timing of the cluster link.
	 *
	 * @param keyPrefix the prefix of every Redis key and channel
	 * @param presenceLease how long entries count after their last renewal
	 * @param publishTimeout the longest time a send waits for Redis
	 */
	public record Settings(String keyPrefix, Duration presenceLease, Duration publishTimeout) {

	}

}
