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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import io.github.notifystomp.TokenResolver;
import io.github.notifystomp.auth.internal.InsecureDevTokenResolver;
import io.github.notifystomp.auth.internal.JwtTokenResolver;
import io.github.notifystomp.auth.internal.RefusingTokenResolver;
import io.github.notifystomp.auth.internal.SpringSecurityJwtSettings;

/**
 * The default {@link TokenResolver} variants, imported in order of preference by
 * {@link NotifyStompAuthAutoConfiguration}: the first whose conditions match defines the
 * resolver, and only when the application defines none. Kept out of the
 * auto-configuration class itself, because Spring processes nested configuration classes
 * in no defined order.
 */
abstract class TokenResolverConfigurations {

	/**
	 * JWTs turned into users the way Spring Security's resource server turns them into an
	 * {@code Authentication} over HTTP: with the application's
	 * {@code JwtAuthenticationConverter} bean, or with one built from Spring Boot's
	 * {@code spring.security.oauth2.resourceserver.jwt.*} settings.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.oauth2.jwt.JwtDecoder",
			"org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter" })
	@ConditionalOnBean(JwtDecoder.class)
	static class JwtFollowingSpringSecurity {

		@Bean
		@ConditionalOnMissingBean(TokenResolver.class)
		JwtTokenResolver notifyJwtTokenResolver(JwtDecoder jwtDecoder,
				ObjectProvider<JwtAuthenticationConverter> applicationConverter, Environment environment,
				NotifyStompProperties properties) {
			SpringSecurityJwtSettings settings = SpringSecurityJwtSettings.of(environment);
			JwtAuthenticationConverter converter = applicationConverter.getIfUnique();
			String userClaim = properties.getAuth().getJwt().getUserClaim();
			settings.warnIfUserClaimDisagrees(userClaim, converter != null);
			return new JwtTokenResolver(jwtDecoder, (converter != null) ? converter : settings.converter(), userClaim);
		}

	}

	/**
	 * A {@code JwtDecoder} without Spring Security's resource server on the class path:
	 * Spring Security's defaults.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JwtDecoder.class)
	@ConditionalOnBean(JwtDecoder.class)
	static class Jwt {

		@Bean
		@ConditionalOnMissingBean(TokenResolver.class)
		JwtTokenResolver notifyJwtTokenResolver(JwtDecoder jwtDecoder, NotifyStompProperties properties) {
			return new JwtTokenResolver(jwtDecoder, properties.getAuth().getJwt().getUserClaim());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("notify.stomp.auth.insecure-dev-tokens")
	static class InsecureDev {

		@Bean
		@ConditionalOnMissingBean(TokenResolver.class)
		InsecureDevTokenResolver notifyInsecureDevTokenResolver() {
			return new InsecureDevTokenResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Refusing {

		@Bean
		@ConditionalOnMissingBean(TokenResolver.class)
		RefusingTokenResolver notifyRefusingTokenResolver() {
			return new RefusingTokenResolver();
		}

	}

}
