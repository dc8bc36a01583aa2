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

package io.github.notifystomp.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.NotifyMessage;
import io.github.notifystomp.NotifyTemplate;
import io.github.notifystomp.NotifyUser;
import io.github.notifystomp.SendResult;

/**
 * Sends notifications on behalf of the logged-in user: to one user, or to everyone when
 * no recipient is given. This is where an application injects the {@link NotifyTemplate}.
 */
@RestController
@RequestMapping("/api/notifications")
class NotificationController {

	private final NotifyTemplate notifyTemplate;

	NotificationController(NotifyTemplate notifyTemplate) {
		this.notifyTemplate = notifyTemplate;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	SendResponse send(@RequestAttribute(BearerUsers.USER) NotifyUser sender, @RequestBody SendRequest request) {
		if (request == null || request.type() == null || request.type().isBlank()) {
			throw new BadRequestException("Field 'type' is required");
		}
		NotifyMessage message = NotifyMessage.of(request.type(), withSender(request.payload(), sender.id()));
		SendResult result = (request.to() == null) ? this.notifyTemplate.broadcast(message)
				: this.notifyTemplate.sendToUsers(List.of(request.to()), message).get(0);
		return new SendResponse(result.id(), result.seq());
	}

	// so that recipients see who sent it, whatever the payload's shape: the sender comes
	// from the token and replaces any "from" in the body; a payload that is not an
	// object is wrapped as the value of one
	private static Map<Object, Object> withSender(Object payload, String sender) {
		Map<Object, Object> signed = new LinkedHashMap<>();
		if (payload instanceof Map<?, ?> object) {
			signed.putAll(object);
		}
		else {
			signed.put("value", payload);
		}
		signed.put("from", sender);
		return signed;
	}

	// any JSON: an object, an array, a string, a number; read by the
	// application's Jackson
	record SendRequest(String to, String type, Object payload) {
	}

	record SendResponse(String id, Long seq) {
	}

}
