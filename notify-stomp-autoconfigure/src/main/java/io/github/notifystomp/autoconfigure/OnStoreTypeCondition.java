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

package io.github.notifystomp.autoconfigure;

import java.util.Arrays;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.github.notifystomp.autoconfigure.NotifyStompProperties.Store.StoreType;

/**
 * Condition behind {@link ConditionalOnStoreType}.
 */
class OnStoreTypeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		StoreType[] wanted = (StoreType[]) metadata.getAnnotationAttributes(ConditionalOnStoreType.class.getName())
			.get("value");
		StoreType type = Binder.get(context.getEnvironment())
			.bind("notify.stomp.store.type", StoreType.class)
			.orElse(StoreType.AUTO);
		boolean match = Arrays.asList(wanted).contains(type);
		return new ConditionOutcome(match,
				"notify.stomp.store.type is " + type + (match ? "" : ", not one of " + Arrays.toString(wanted)));
	}

}
