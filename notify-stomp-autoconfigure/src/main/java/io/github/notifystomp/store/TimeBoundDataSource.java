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

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A {@link DataSource} in front of the application's that gives up on a connection that
 * does not come within the store's timeout (a pool waits its own connection timeout, 30 s
 * by default, and a database that hangs may never answer), and that bounds each read of a
 * connection it hands out by the same time (JDBC's network timeout), so that a database
 * that stops answering mid-statement fails the call instead of holding it. The network
 * timeout is restored when the connection is closed, so the application's own use of a
 * pooled connection is not affected.
 * <p>
 * A call waits for its connection on a thread of its own, so that it can give up; at most
 * 64 such threads wait at once (a database that hangs holds each of them), and further
 * calls wait their turn, within the same timeout.
 * <p>
 * It is an {@link InfrastructureProxy} of the application's {@link DataSource}: Spring's
 * transaction synchronization sees both as one, so the store still joins the caller's
 * transactions.
 */
final class TimeBoundDataSource extends DelegatingDataSource implements InfrastructureProxy {

	// store calls that may wait for a connection at once, each on a thread of its own;
	// more wait for one of them to be done, within the same timeout
	private static final int MAX_WAITING = 64;

	private static final int NOT_STARTED = 0;

	private static final int STARTED = 1;

	private static final int ABANDONED = 2;

	private static final Executor DIRECT = Runnable::run;

	private final Duration timeout;

	private final Semaphore waiting = new Semaphore(MAX_WAITING, true);

	private final ThreadPoolExecutor connector;

	TimeBoundDataSource(DataSource target, Duration timeout) {
		super(target);
		this.timeout = timeout;
		AtomicInteger threads = new AtomicInteger();
		// the semaphore bounds the threads that wait; a thread that has let its permit go
		// may still be finishing when the next one is needed
		this.connector = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "notify-stomp-store-connect-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	Duration timeout() {
		return this.timeout;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return bounded(() -> obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return bounded(() -> obtainTargetDataSource().getConnection(username, password));
	}

	@Override
	public Object getWrappedObject() {
		return obtainTargetDataSource();
	}

	private Connection bounded(Callable<Connection> acquire) throws SQLException {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		awaitTurn();
		// whoever settles first owns the connection: the caller, or (when the caller gave
		// up) the connecting thread, which then closes it
		AtomicBoolean settled = new AtomicBoolean();
		AtomicInteger state = new AtomicInteger(NOT_STARTED);
		Future<Connection> future;
		try {
			future = this.connector.submit(() -> {
				if (!state.compareAndSet(NOT_STARTED, STARTED)) {
					// the caller gave up before this started, and let the permit go
					return null;
				}
				try {
					Connection connection = acquire.call();
					if (settled.compareAndSet(false, true)) {
						return connection;
					}
					closeQuietly(connection);
					return null;
				}
				finally {
					this.waiting.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.waiting.release();
			throw new SQLTransientConnectionException("No thread to wait for a database connection on", "08001", ex);
		}
		try {
			return limitReads(future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			if (settled.compareAndSet(false, true)) {
				giveUp(state, future);
				// the wait is the failure: no cause, so that it is the root cause shown
				throw noConnectionInTime();
			}
			// it came just now
			return limitReads(done(future));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (settled.compareAndSet(false, true)) {
				giveUp(state, future);
				throw new SQLException("Interrupted while waiting for a database connection", "08001", ex);
			}
			return limitReads(done(future));
		}
		catch (ExecutionException ex) {
			throw failure(ex);
		}
	}

	// a turn to wait for a connection; the wait for it counts in the timeout
	private void awaitTurn() throws SQLException {
		try {
			if (!this.waiting.tryAcquire(this.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw noConnectionInTime();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException("Interrupted while waiting for a database connection", "08001", ex);
		}
	}

	private SQLTimeoutException noConnectionInTime() {
		return new SQLTimeoutException(
				"No database connection within " + this.timeout.toMillis() + "ms (notify.stomp.store.timeout)",
				"08001");
	}

	// a task that has not started will not; one that has is interrupted, and lets its
	// permit go when its wait ends
	private void giveUp(AtomicInteger state, Future<Connection> future) {
		if (state.compareAndSet(NOT_STARTED, ABANDONED)) {
			this.waiting.release();
		}
		else {
			future.cancel(true);
		}
	}

	private static Connection done(Future<Connection> future) throws SQLException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw failure(ex);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static SQLException failure(ExecutionException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof SQLException sql) {
			return sql;
		}
		if (cause instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new SQLException("Could not get a database connection", "08001", cause);
	}

	// each read of the connection waits at most the timeout; restored when it is closed
	private Connection limitReads(Connection connection) {
		int previous;
		try {
			previous = connection.getNetworkTimeout();
			connection.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, this.timeout.toMillis()));
		}
		catch (SQLException | RuntimeException | AbstractMethodError ex) {
			// a driver without network timeouts: the statements' query timeout
			// still applies
			return connection;
		}
		return (Connection) Proxy.newProxyInstance(TimeBoundDataSource.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new RestoringHandler(connection, previous));
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			// given up on anyway
		}
	}

	private static final class RestoringHandler implements InvocationHandler {

		private final Connection target;

		private final int previousNetworkTimeout;

		private boolean restored;

		RestoringHandler(Connection target, int previousNetworkTimeout) {
			this.target = target;
			this.previousNetworkTimeout = previousNetworkTimeout;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "unwrap":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
					break;
				case "isWrapperFor":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return true;
					}
					break;
				case "close":
					restore();
					break;
				default:
					break;
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		// a pool rolls back what is left open on close, and would do it without
		// the bound: that rollback happens here, still bounded, and only a
		// connection that answered gets its old timeout back (a broken one
		// keeps the bound and the pool discards it)
		private void restore() {
			if (this.restored) {
				return;
			}
			this.restored = true;
			try {
				if (this.target.isClosed()) {
					return;
				}
				if (!this.target.getAutoCommit()) {
					this.target.rollback();
				}
				this.target.setNetworkTimeout(DIRECT, this.previousNetworkTimeout);
			}
			catch (SQLException | RuntimeException ex) {
				// a broken connection: the pool discards it
			}
		}

	}

}
