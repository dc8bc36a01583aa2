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

package io.github.notifystomp;

/**
 * A send failed because the message could not be stored; it is not delivered to the users
 * it was not stored for. The store's own exception is attached as a suppressed exception,
 * not as the cause: web frameworks look through the causes of an exception for signs that
 * the HTTP client went away ("connection reset", a socket exception) and would then
 * swallow a failed send as a client disconnect, where it must reach the caller's caller
 * as a server error.
 */
public class NotifySendException extends RuntimeException {

	private final String messageId;

	/**
	 * Create an exception for a message the store refused or could not take.
	 * @param messageId the id of the message
	 * @param detail what failed, without the store's own text
	 * @param storeFailure the store's exception, attached as suppressed
	 */
	public NotifySendException(String messageId, String detail, Throwable storeFailure) {
		super("Notification " + messageId + " was not sent: " + detail);
		this.messageId = messageId;
		if (storeFailure != null) {
			addSuppressed(storeFailure);
		}
	}

	/**
	 * Return the id of the message that was not sent.
	 * @return the message id
	 */
	public String getMessageId() {
		return this.messageId;
	}

}
