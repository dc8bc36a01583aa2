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

package io.github.notifystomp.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A real connection pool that counts the transactions committed on its connections, to
 * see how many transactions a number of saves took: each commit, and each statement run
 * while the connection commits automatically (it is a transaction of its own).
 */
final class TransactionCountingDataSource extends DelegatingDataSource {

	private final AtomicInteger transactions = new AtomicInteger();

	TransactionCountingDataSource(DataSource target) {
		super(target);
	}

	int transactions() {
		return this.transactions.get();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return counting(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return counting(super.getConnection(username, password));
	}

	private Connection counting(Connection connection) {
		return proxy(Connection.class, connection, (method) -> {
			if (method.getName().equals("commit")) {
				this.transactions.incrementAndGet();
			}
		}, (method, result) -> (method.getName().startsWith("prepare") || method.getName().equals("createStatement"))
				? counting(connection, (Statement) result) : result);
	}

	private Object counting(Connection connection, Statement statement) {
		Class<?> type = (statement instanceof PreparedStatement) ? PreparedStatement.class : Statement.class;
		return proxy(type, statement, (method) -> {
			if (method.getName().startsWith("execute") && connection.getAutoCommit()) {
				this.transactions.incrementAndGet();
			}
		}, (method, result) -> result);
	}

	private <T> T proxy(Class<T> type, Object target, Before before, BiFunction<Method, Object, Object> after) {
		return type.cast(
				Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
					before.accept(method);
					try {
						return after.apply(method, method.invoke(target, args));
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				}));
	}

	private interface Before {

		void accept(Method method) throws SQLException;

	}

}
