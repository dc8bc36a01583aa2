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

/**
 * Makes client-controlled text safe for one log line.
 */
public final class LogText {

	private LogText() {
	}

	/**
	 * Return a value as one log line: control characters replaced, at most 120
	 * characters.
	 * @param value the value, may be {@code null}
	 * @return the text, {@code -} for {@code null}
	 */
	public static String of(Object value) {
		if (value == null) {
			return "-";
		}
		String text = value.toString();
		StringBuilder result = new StringBuilder(Math.min(text.length(), 120));
		for (int i = 0; i < text.length() && result.length() < 120; i++) {
			char c = text.charAt(i);
			result.append(Character.isISOControl(c) ? '?' : c);
		}
		if (text.length() > 120) {
			result.append("...");
		}
		return result.toString();
	}

}
