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

import java.util.function.Supplier;

import org.springframework.messaging.MessageChannel;

/**
 * The {@code clientOutboundChannel}, looked up on first use and prepared once for ordered
 * per-session delivery (see {@link SessionOutbox#configure(MessageChannel)}).
 */
final class PreparedOutboundChannel {

	private final Supplier<MessageChannel> lookup;

	private volatile MessageChannel channel;

	private volatile boolean callsBack;

	PreparedOutboundChannel(Supplier<MessageChannel> lookup) {
		this.lookup = lookup;
	}

	/**
	 * Return the channel, prepared.
	 * @return the {@code clientOutboundChannel}
	 */
	MessageChannel channel() {
		MessageChannel prepared = this.channel;
		if (prepared == null) {
			synchronized (this) {
				prepared = this.channel;
				if (prepared == null) {
					prepared = this.lookup.get();
					this.callsBack = SessionOutbox.configure(prepared);
					this.channel = prepared;
				}
			}
		}
		return prepared;
	}

	/**
	 * Whether the prepared channel calls back when it has handled a message (it is an
	 * executor channel).
	 * @return {@code true} if it does; {@code false} before {@link #channel()}
	 */
	boolean callsBack() {
		return this.callsBack;
	}

}
