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

package io.github.notifystomp.transport.internal;

import org.springframework.messaging.MessagingException;

/**
 * A client frame the starter refuses. The client gets an ERROR frame whose
 * {@code message} header is the fixed client text, and the connection closes; the detail
 * goes only to the server log.
 */
public class RefusedFrameException extends MessagingException {

	private final String clientText;

	/**
	 * Create an exception.
	 * @param clientText the fixed text for the ERROR frame
	 * @param detail what the server logs, without secrets
	 */
	public RefusedFrameException(String clientText, String detail) {
		super(detail);
		this.clientText = clientText;
	}

	/**
	 * Return the text the client gets in the ERROR frame.
	 * @return the client text
	 */
	public String getClientText() {
		return this.clientText;
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		// refusals are expected; a stack trace would only fill the log
		return this;
	}

}
