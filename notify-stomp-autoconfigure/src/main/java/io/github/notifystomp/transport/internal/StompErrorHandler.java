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

import java.security.Principal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/**
 * Writes the ERROR frame for a client frame that failed. The {@code message} header is
 * always one of a few fixed texts: the refusal text of the starter, or a generic text for
 * anything else, so no exception text (a parser's, a token library's) reaches the client.
 * The ERROR frame is written before the connection closes, even when another frame is
 * being written at that moment.
 */
public class StompErrorHandler extends StompSubProtocolErrorHandler {

	private static final Log logger = LogFactory.getLog(StompErrorHandler.class);

	private static final String UNEXPECTED = "Frame refused";

	private static final String ACCESS_DENIED = "Access denied";

	private static final byte[] EMPTY = new byte[0];

	private final WebSocketConnections connections;

	/**
	 * Create an error handler.
	 * @param connections closes connections with an ERROR frame written before the close
	 */
	public StompErrorHandler(WebSocketConnections connections) {
		this.connections = connections;
	}

	@Override
	public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable ex) {
		String text = clientText(ex);
		String sessionId = (clientMessage != null) ? SimpMessageHeaderAccessor.getSessionId(clientMessage.getHeaders())
				: null;
		if (sessionId == null) {
			// frames refused before Spring assigned the session
			// (no CONNECT yet, second CONNECT, garbage)
			sessionId = this.connections.currentSessionId();
		}
		if (ACCESS_DENIED.equals(text)) {
			logAccessDenied(clientMessage, sessionId);
		}
		if (UNEXPECTED.equals(text)) {
			// not one of our refusals: a failure the operator must be able to see
			// the root cause names what failed; the whole chain (which may quote the
			// frame) only at DEBUG
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			logger.warn(
					"Closed session " + SessionLabels.of(sessionId)
							+ " after an unexpected failure handling its frame: " + LogText.of(root),
					logger.isDebugEnabled() ? ex : null);
		}
		if (sessionId != null && this.connections.closeWithError(sessionId, text, CloseStatus.PROTOCOL_ERROR)) {
			// written and closed here; nothing left for Spring to send
			return null;
		}
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(text);
		if (clientMessage != null) {
			StompHeaderAccessor client = MessageHeaderAccessor.getAccessor(clientMessage, StompHeaderAccessor.class);
			if (client != null && client.getReceipt() != null) {
				accessor.setReceiptId(LogText.of(client.getReceipt()));
			}
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(EMPTY, accessor.getMessageHeaders());
	}

	// the application's authorization rules refused the frame: who, what and where, for
	// the operator; never the payload or a header that could hold a token
	private static void logAccessDenied(Message<byte[]> clientMessage, String sessionId) {
		StompHeaderAccessor client = (clientMessage != null)
				? MessageHeaderAccessor.getAccessor(clientMessage, StompHeaderAccessor.class) : null;
		if (client == null && clientMessage != null) {
			client = StompHeaderAccessor.wrap(clientMessage);
		}
		Principal user = (client != null) ? client.getUser() : null;
		logger.warn("Access denied by the application's authorization rules: "
				+ LogText.of((client != null && client.getCommand() != null) ? client.getCommand().name() : null)
				+ " to '" + LogText.of((client != null) ? client.getDestination() : null) + "' by user '"
				+ LogText.of((user != null) ? user.getName() : null) + "' in session " + LogText.of(sessionId));
	}

	/**
	 * Return the fixed client text for a failure.
	 * @param ex the failure
	 * @return the text for the ERROR frame
	 */
	static String clientText(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RefusedFrameException refused) {
				return refused.getClientText();
			}
			if (cause instanceof StompConversionException) {
				String text = String.valueOf(cause.getMessage());
				return text.contains("buffer size limit") || text.contains("size limit") ? "Frame too large"
						: "Malformed frame";
			}
			if (isA(cause, "org.springframework.security.web.csrf.CsrfException")) {
				return "Invalid CSRF token";
			}
			if (isA(cause, "org.springframework.security.access.AccessDeniedException")
					|| isA(cause, "org.springframework.security.core.AuthenticationException")) {
				return ACCESS_DENIED;
			}
			if (cause instanceof IllegalStateException && cause.getMessage() != null) {
				if (cause.getMessage().startsWith("Unknown session")) {
					return "Not connected: send CONNECT first";
				}
				if (cause.getMessage().startsWith("Session already exists")) {
					return "Already connected";
				}
			}
		}
		return UNEXPECTED;
	}

	private static boolean isA(Throwable ex, String className) {
		for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
			if (type.getName().equals(className)) {
				return true;
			}
		}
		return false;
	}

}
