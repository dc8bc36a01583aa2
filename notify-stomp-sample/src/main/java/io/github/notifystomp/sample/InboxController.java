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

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonRawValue;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.notifystomp.InboxMessage;
import io.github.notifystomp.InboxPage;
import io.github.notifystomp.NotifyInbox;
import io.github.notifystomp.NotifyUser;

/**
 * The logged-in user's stored notifications: history, unread count, mark read, delete.
 * The page loads the history here, then subscribes with {@code notify-since} set to the
 * newest sequence number it got, so that nothing falls between the two.
 */
@RestController
@RequestMapping("/api/notifications")
class InboxController {

	private final NotifyInbox inbox;

	InboxController(NotifyInbox inbox) {
		this.inbox = inbox;
	}

	@GetMapping
	HistoryResponse history(@RequestAttribute(BearerUsers.USER) NotifyUser user,
			@RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 200) {
			throw new BadRequestException("Parameter 'limit' must be between 1 and 200");
		}
		InboxPage page = this.inbox.history(user.id(), before, limit);
		return new HistoryResponse(page.messages().stream().map(this::item).toList(), page.nextBeforeSeq());
	}

	@GetMapping("/unread-count")
	Map<String, Long> unreadCount(@RequestAttribute(BearerUsers.USER) NotifyUser user) {
		return Map.of("unread", this.inbox.unreadCount(user.id()));
	}

	@PostMapping("/read")
	Map<String, Integer> markRead(@RequestAttribute(BearerUsers.USER) NotifyUser user,
			@RequestBody ReadRequest request) {
		if (request == null || request.ids() == null || request.ids().isEmpty()) {
			throw new BadRequestException("Field 'ids' must list at least one notification id");
		}
		return Map.of("marked", this.inbox.markRead(user.id(), request.ids()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@RequestAttribute(BearerUsers.USER) NotifyUser user, @PathVariable String id) {
		boolean deleted = this.inbox.delete(user.id(), id);
		return deleted ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

	private HistoryItem item(InboxMessage message) {
		return new HistoryItem(message.id(), message.type(), message.payload(), message.createdAt(), message.seq(),
				message.isRead(), message.isDelivered());
	}

	record HistoryResponse(List<HistoryItem> messages, Long nextBefore) {
	}

	// the stored payload is JSON already: written as it is, by Jackson 3 on Boot 4 and
	// Jackson 2 on Boot 3.5
	record HistoryItem(String id, String type, @JsonRawValue String payload, Instant createdAt, long seq, boolean read,
			boolean delivered) {
	}

	record ReadRequest(List<String> ids) {
	}

}
