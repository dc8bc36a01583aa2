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

import java.util.Set;

/**
 * Immutable sets of a few elements, replaced on each change, for what a session or a user
 * holds a handful of and reads far more often than changes: a set of one costs a few
 * bytes, where a concurrent set costs some two hundred on every idle connection.
 */
final class SmallSets {

	private SmallSets() {
	}

	/**
	 * Return a set with one more element.
	 * @param <T> the element type
	 * @param set the set, {@code null} for none
	 * @param element the element
	 * @return the set if it holds the element already, else a new one
	 */
	@SuppressWarnings("unchecked")
	static <T> Set<T> with(Set<T> set, T element) {
		if (set == null) {
			return Set.of(element);
		}
		if (set.contains(element)) {
			return set;
		}
		Object[] more = set.toArray(new Object[set.size() + 1]);
		more[set.size()] = element;
		return (Set<T>) Set.of(more);
	}

	/**
	 * Return a set without an element.
	 * @param <T> the element type
	 * @param set the set
	 * @param element the element
	 * @return the set if it does not hold the element, else a new one, {@code null} when
	 * none is left
	 */
	@SuppressWarnings("unchecked")
	static <T> Set<T> without(Set<T> set, T element) {
		if (!set.contains(element)) {
			return set;
		}
		if (set.size() == 1) {
			return null;
		}
		return (Set<T>) Set.of(set.stream().filter((other) -> !other.equals(element)).toArray());
	}

}
