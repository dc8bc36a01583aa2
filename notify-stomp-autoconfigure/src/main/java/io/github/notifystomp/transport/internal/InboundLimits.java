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
 * What a connection takes in: the container's buffer for inbound messages, and the
 * largest message a client may send.
 *
 * @param bufferSize the container's inbound buffer per connection (Tomcat), in bytes or
 * characters; a larger message arrives in parts
 * @param messageSizeLimit the largest whole message, in bytes or characters
 */
public record InboundLimits(int bufferSize, int messageSizeLimit) {

}
