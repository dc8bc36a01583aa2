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
 * Turns the bearer token of a STOMP CONNECT frame into the user of the session.
 * <p>
 * Define one bean of this type to plug in the application's own tokens. Without one, a
 * {@code JwtDecoder} bean (Spring Security) is used when present; otherwise every CONNECT
 * is refused.
 */
@FunctionalInterface
public interface TokenResolver {

	/**
	 * Resolve the user of a token.
	 * @param token the raw token, without the {@code Bearer } prefix; never {@code null}
	 * or empty
	 * @return the user, never {@code null}
	 * @throws InvalidTokenException if the token is not valid; its reason is logged
	 * (never sent to the client), so it must not contain the token
	 */
	NotifyUser resolve(String token) throws InvalidTokenException;

}
