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

package io.github.notifystomp.actuate.internal;

import java.time.Duration;

import io.github.notifystomp.actuate.NotifyStompEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code notifystomp} endpoint over HTTP: a disconnect that could not reach every
 * node answers {@code 202 Accepted} instead of {@code 200}, so that a script does not
 * take it for done.
 */
@EndpointWebExtension(endpoint = NotifyStompEndpoint.class)
public class NotifyStompEndpointWebExtension {

	private final NotifyStompEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint
	 */
	public NotifyStompEndpointWebExtension(NotifyStompEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Disconnect a user, as {@link NotifyStompEndpoint#disconnect}.
	 * @param section must be {@code users}
	 * @param userId the user
	 * @param refuseReconnectsFor how long to refuse the user's CONNECTs, {@code 0s} for
	 * not at all
	 * @return 200 when every node was told, 202 when some are told later, 404 for another
	 * section
	 */
	@WriteOperation
	public WebEndpointResponse<NotifyStompEndpoint.DisconnectDescriptor> disconnect(@Selector String section,
			@Selector String userId, Duration refuseReconnectsFor) {
		NotifyStompEndpoint.DisconnectDescriptor result = this.endpoint.disconnect(section, userId,
				refuseReconnectsFor);
		if (result == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(result, result.allNodesTold() ? WebEndpointResponse.STATUS_OK : 202);
	}

}
