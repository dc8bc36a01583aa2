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

package io.github.notifystomp.cluster.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.client.codec.StringCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8StringCodec}: the same bytes as Redisson's {@link StringCodec},
 * and the same strings back.
 */
class Utf8StringCodecTests {

	@ParameterizedTest
	@ValueSource(strings = { "", "notify-relay-2\nu\nnode-a\n{\"a\":1}", "Grüße, Łódź, 東京", "emoji 😀 and \u0000" })
	void whenAStringIsEncodedThenItsBytesAreThoseOfStringCodecAndItDecodesToItself(String text) throws Exception {
		ByteBuf encoded = Utf8StringCodec.INSTANCE.getValueEncoder().encode(text);
		ByteBuf expected = StringCodec.INSTANCE.getValueEncoder().encode(text);
		try {
			assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(ByteBufUtil.getBytes(expected));
			assertThat(Utf8StringCodec.INSTANCE.getValueDecoder().decode(encoded, null)).isEqualTo(text);
		}
		finally {
			encoded.release();
			expected.release();
		}
	}

	@Test
	void whenAValueIsNotAStringThenItsTextIsEncoded() throws Exception {
		ByteBuf encoded = Utf8StringCodec.INSTANCE.getValueEncoder().encode(42L);
		try {
			assertThat(encoded.toString(StandardCharsets.UTF_8)).isEqualTo("42");
		}
		finally {
			encoded.release();
		}
	}

}
