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

import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * Thrown when the JDBC store cannot reach its database: at startup, to create or check
 * its tables, and later when a call does not get a connection or an answer within the
 * store's timeout ({@code notify.stomp.store.timeout}).
 */
public class StoreUnavailableException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param cause why the database could not be reached
	 */
	public StoreUnavailableException(Throwable cause) {
		super("The notify-stomp message store cannot reach its database: " + rootCause(cause), cause);
	}

	/**
	 * Create an exception with a message of its own.
	 * @param message what failed
	 * @param cause the database's or the pool's exception
	 */
	public StoreUnavailableException(String message, Throwable cause) {
		super(message + ": " + rootCause(cause), cause);
	}

	/**
	 * Return a JDBC failure as a store failure when the database could not be reached or
	 * did not answer in time; any other failure as it is.
	 */
	static RuntimeException fromJdbc(RuntimeException ex, Duration timeout) {
		if (ex instanceof StoreUnavailableException) {
			return ex;
		}
		if (ex instanceof QueryTimeoutException || ex instanceof TransactionTimedOutException) {
			return timedOut(timeout, ex);
		}
		if (ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessResourceException
				|| ex instanceof CannotCreateTransactionException || ex instanceof TransactionSystemException) {
			return new StoreUnavailableException(ex);
		}
		return ex;
	}

	/**
	 * Return the failure of a call that waited the whole store timeout.
	 */
	static StoreUnavailableException timedOut(Duration timeout, Throwable cause) {
		return new StoreUnavailableException("The notify-stomp message store did not answer within "
				+ timeout.toMillis() + "ms (notify.stomp.store.timeout)", cause);
	}

	/**
	 * Return what actually failed: the innermost cause (a refused connection, an unknown
	 * host, a wrong password), followed by the JDBC driver's own exception, which often
	 * names the host and port.
	 * @param failure a failure
	 * @return the root cause and the driver's exception, as class names and messages
	 */
	public static String rootCause(Throwable failure) {
		Throwable root = failure;
		Throwable driver = null;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
			if (root instanceof java.sql.SQLException) {
				driver = root;
			}
		}
		return text(root) + ((driver != null && driver != root) ? " (" + text(driver) + ")" : "");
	}

	private static String text(Throwable failure) {
		return failure.getClass().getName() + ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
	}

}
