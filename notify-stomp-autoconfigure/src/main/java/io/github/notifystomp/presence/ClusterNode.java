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

package io.github.notifystomp.presence;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identity of this node: the id under which it registers its sessions and receives
 * relay messages.
 */
public final class ClusterNode {

	private final String id;

	/**
	 * Create the node identity.
	 * @param configuredId the configured id, or {@code null} to generate a unique one
	 */
	public ClusterNode(String configuredId) {
		this.id = (configuredId != null && !configuredId.isBlank()) ? configuredId : generate();
	}

	/**
	 * Return the node id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	private static String generate() {
		byte[] random = new byte[4];
		new SecureRandom().nextBytes(random);
		return hostName() + "-" + HexFormat.of().formatHex(random);
	}

	private static String hostName() {
		try {
			String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
			return name.isEmpty() ? "node" : name.substring(0, Math.min(name.length(), 40));
		}
		catch (Exception ex) {
			return "node";
		}
	}

	@Override
	public String toString() {
		return this.id;
	}

}
