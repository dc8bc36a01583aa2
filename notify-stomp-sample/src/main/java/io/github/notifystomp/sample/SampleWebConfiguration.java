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

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The REST API's guards: requests bigger than the API can use are refused before they are
 * read, and the notification endpoints check the bearer token before the body is read.
 */
@Configuration(proxyBeanMethods = false)
class SampleWebConfiguration implements WebMvcConfigurer {

	// a notification of the largest payload
	// (notify.stomp.limits.max-payload-size, 64KB) with room for its JSON
	// around it
	static final DataSize MAX_REQUEST_SIZE = DataSize.ofKilobytes(80);

	private final BearerUsers users;

	SampleWebConfiguration(BearerUsers users) {
		this.users = users;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.users).addPathPatterns("/api/notifications", "/api/notifications/**");
	}

	@Bean
	FilterRegistrationBean<RequestSizeLimit> requestSizeLimit() {
		FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(
				new RequestSizeLimit(MAX_REQUEST_SIZE.toBytes()));
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
