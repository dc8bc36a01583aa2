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

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * A client that behaves like the README's JavaScript client, for the fault tests: it
 * subscribes to its user destination with {@code ack: client-individual} and
 * {@code notify-since: <last seq>}, ACKs every message that carries an {@code ack}
 * header, keeps the last gap-free sequence number, subscribes again after a message with
 * {@code notify-replay-more}, and reconnects by itself (to the next node, after a short
 * random delay, or after the delay an ERROR frame's {@code notify-reconnect-after} gives)
 * whenever its connection ends. It has no gap timer: a gap must be filled by the server.
 * <p>
 * It records every MESSAGE ({@code notify-id}, {@code notify-seq}) and every ACK for the
 * {@link DeliveryChecker}.
 */
public final class CheckedClient implements AutoCloseable {

	private static final Connector connector = new Connector();

	private final String userId;

	private final IntSupplier nextPort;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	// notify-id -> the connection it was ACKed on
	private final Map<String, Integer> acks = new ConcurrentHashMap<>();

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private final Set<Integer> lostConnections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final AtomicInteger replayPages = new AtomicInteger();

	private final TreeSet<Long> ahead = new TreeSet<>();

	private long lastSeq;

	private boolean firstOfSubscription;

	private volatile StompSession session;

	private volatile StompSession.Subscription subscription;

	private volatile int connection;

	private volatile long reconnectAfter = -1;

	private volatile boolean closed;

	private CheckedClient(String userId, IntSupplier nextPort, long since) {
		this.userId = userId;
		this.nextPort = nextPort;
		this.lastSeq = since;
	}

	/**
	 * Start a client that connects to the given ports in turn, and wait until it is
	 * subscribed.
	 */
	public static CheckedClient start(String userId, int... ports) {
		CheckedClient client = startAsync(userId, ports);
		client.awaitSubscribed();
		return client;
	}

	/**
	 * Start a client without waiting for it.
	 */
	public static CheckedClient startAsync(String userId, int... ports) {
		AtomicInteger next = new AtomicInteger();
		CheckedClient client = new CheckedClient(userId,
				() -> ports[Math.floorMod(next.getAndIncrement(), ports.length)], 0);
		client.connect();
		return client;
	}

	/**
	 * Start a client whose port is chosen anew for every connection.
	 */
	public static CheckedClient startAsync(String userId, IntSupplier ports) {
		CheckedClient client = new CheckedClient(userId, ports, 0);
		client.connect();
		return client;
	}

	public String userId() {
		return this.userId;
	}

	public List<Received> received() {
		return List.copyOf(this.received);
	}

	public Set<String> receivedIds() {
		Set<String> ids = new java.util.HashSet<>();
		this.received.forEach((frame) -> ids.add(frame.id()));
		return ids;
	}

	/**
	 * Return the ids this client ACKed on connections that are still open or that it
	 * closed itself.
	 */
	public Set<String> certainAcks() {
		Set<String> certain = new java.util.HashSet<>();
		this.acks.forEach((id, connection) -> {
			if (!this.lostConnections.contains(connection)) {
				certain.add(id);
			}
		});
		return certain;
	}

	/**
	 * Return every id this client ACKed.
	 */
	public Set<String> allAcks() {
		return Set.copyOf(this.acks.keySet());
	}

	public List<String> errors() {
		return List.copyOf(this.errors);
	}

	public int connections() {
		return this.connections.get();
	}

	public int subscriptions() {
		return this.subscriptions.get();
	}

	public int replayPages() {
		return this.replayPages.get();
	}

	public synchronized long lastSeq() {
		return this.lastSeq;
	}

	public boolean isSubscribed() {
		StompSession current = this.session;
		return current != null && current.isConnected() && this.subscription != null;
	}

	/**
	 * Wait until the client is connected and subscribed.
	 */
	public CheckedClient awaitSubscribed() {
		org.awaitility.Awaitility.await("client " + this.userId + " subscribed")
			.atMost(StompTestClient.TIMEOUT.multipliedBy(3))
			.until(this::isSubscribed);
		return this;
	}

	@Override
	public void close() {
		this.closed = true;
		StompSession current = this.session;
		if (current != null && current.isConnected()) {
			try {
				current.disconnect();
			}
			catch (RuntimeException ex) {
				// already gone
			}
		}
	}

	private void connect() {
		if (this.closed) {
			return;
		}
		int port = this.nextPort.getAsInt();
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer valid-" + this.userId);
		Handler handler = new Handler(this.connections.incrementAndGet());
		try {
			connector.stomp.connectAsync("ws://localhost:" + port + "/ws", new WebSocketHttpHeaders(), headers, handler)
				.whenComplete((connected, ex) -> {
					if (ex != null) {
						handler.lost();
					}
				});
		}
		catch (RuntimeException ex) {
			handler.lost();
		}
	}

	private void reconnectLater() {
		if (this.closed) {
			return;
		}
		long told = this.reconnectAfter;
		this.reconnectAfter = -1;
		long delay = (told >= 0) ? told : ThreadLocalRandom.current().nextLong(50, 300);
		connector.timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
	}

	private synchronized void subscribe(StompSession to) {
		StompSession.Subscription previous = this.subscription;
		if (previous != null && to.isConnected()) {
			try {
				StompTestClient.unsubscribe(previous);
			}
			catch (RuntimeException ex) {
				// the connection is going away: the next connection subscribes
			}
		}
		StompHeaders headers = new StompHeaders();
		headers.setDestination("/user/queue/notify");
		headers.add("ack", "client-individual");
		headers.add("notify-since", Long.toString(this.lastSeq));
		this.firstOfSubscription = true;
		this.subscription = to.subscribe(headers, new Frames(to));
		this.subscriptions.incrementAndGet();
	}

	private synchronized void onMessage(StompSession from, StompHeaders headers) {
		String id = headers.getFirst("notify-id");
		String seqHeader = headers.getFirst("notify-seq");
		Long seq = (seqHeader != null) ? Long.valueOf(seqHeader) : null;
		this.received
			.add(new Received(id, seq, "true".equals(headers.getFirst("notify-redelivered")), this.connection));
		String ack = headers.getAck();
		if (ack != null) {
			try {
				from.acknowledge(ack, true);
				this.acks.put(id, this.connection);
			}
			catch (RuntimeException ex) {
				// the connection is gone: the message stays un-ACKed
			}
		}
		if (seq == null) {
			return;
		}
		if (this.firstOfSubscription && seq > this.lastSeq + 1) {
			// as the README's client: a replay starts at the oldest message still kept
			this.lastSeq = seq - 1;
		}
		this.firstOfSubscription = false;
		if (seq > this.lastSeq) {
			this.ahead.add(seq);
		}
		while (this.ahead.remove(this.lastSeq + 1)) {
			this.lastSeq++;
		}
		if ("true".equals(headers.getFirst("notify-replay-more"))) {
			// the replay covered everything up to here: fetch the next page
			this.lastSeq = Math.max(this.lastSeq, seq);
			this.ahead.headSet(this.lastSeq, true).clear();
			while (this.ahead.remove(this.lastSeq + 1)) {
				this.lastSeq++;
			}
			this.replayPages.incrementAndGet();
			subscribe(from);
		}
	}

	/**
	 * One MESSAGE as the client saw it.
	 *
	 * @param id the notify-id
	 * @param seq the notify-seq, or {@code null}
	 * @param redelivered whether it carried notify-redelivered
	 * @param connection which of the client's connections it came on
	 */
	public record Received(String id, Long seq, boolean redelivered, int connection) {

	}

	private final class Frames implements StompFrameHandler {

		private final StompSession session;

		Frames(StompSession session) {
			this.session = session;
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			onMessage(this.session, headers);
		}

	}

	private final class Handler extends StompSessionHandlerAdapter {

		private final int attempt;

		private final AtomicBoolean lost = new AtomicBoolean();

		Handler(int attempt) {
			this.attempt = attempt;
		}

		// a failed CONNECT is reported twice (future and handler): reconnect once
		void lost() {
			if (this.lost.compareAndSet(false, true)) {
				CheckedClient.this.lostConnections.add(this.attempt);
				reconnectLater();
			}
		}

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			CheckedClient.this.connection = this.attempt;
			CheckedClient.this.session = session;
			if (CheckedClient.this.closed) {
				session.disconnect();
				return;
			}
			subscribe(session);
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// frames without a subscription: ERROR
			String message = headers.getFirst("message");
			CheckedClient.this.errors.add(String.valueOf(message));
			String after = headers.getFirst("notify-reconnect-after");
			if (after != null) {
				CheckedClient.this.reconnectAfter = Long.parseLong(after);
			}
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			if (session.isConnected() || CheckedClient.this.closed) {
				return;
			}
			if (CheckedClient.this.session == session) {
				CheckedClient.this.subscription = null;
			}
			lost();
		}

	}

	/**
	 * One STOMP client and one timer for all checked clients: thousands of clients must
	 * not mean thousands of thread pools.
	 */
	private static final class Connector {

		private final WebSocketStompClient stomp;

		private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "checked-client-timer");
			thread.setDaemon(true);
			return thread;
		});

		Connector() {
			WebSocketContainer container = ContainerProvider.getWebSocketContainer();
			// the default (8 KB) closes the connection on a larger notification
			container.setDefaultMaxTextMessageBufferSize(64 * 1024);
			this.stomp = new WebSocketStompClient(new StandardWebSocketClient(container));
			this.stomp.setMessageConverter(new SimpleMessageConverter());
			this.stomp.setDefaultHeartbeat(new long[] { 0, 0 });
			this.stomp.setInboundMessageSizeLimit(64 * 1024);
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setDaemon(true);
			scheduler.setThreadNamePrefix("checked-client-");
			scheduler.initialize();
			this.stomp.setTaskScheduler(scheduler);
		}

	}

	@Override
	public String toString() {
		return "CheckedClient[" + this.userId + ", lastSeq=" + lastSeq() + ", received=" + this.received.size()
				+ ", connections=" + this.connections + ", errors=" + this.errors + "]";
	}

}
