package io.github.chatmemory.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that counts the rows its result sets hand to the application, to prove
 * what a store reads: a JDBC proxy, so it counts on every database alike.
 */
public final class RowCountingDataSource extends DelegatingDataSource {

	private final AtomicLong rows = new AtomicLong();

	/**
	 * Count the rows read through a data source.
	 * @param target the data source
	 */
	public RowCountingDataSource(DataSource target) {
		super(target);
	}

	/**
	 * Return the rows read since the last reset.
	 * @return the count
	 */
	public long rows() {
		return this.rows.get();
	}

	/**
	 * Start counting from zero.
	 */
	public void reset() {
		this.rows.set(0);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return proxy(Connection.class, super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return proxy(Connection.class, super.getConnection(username, password));
	}

	@SuppressWarnings("unchecked")
	private <T> T proxy(Class<T> type, T target) {
		InvocationHandler handler = (proxy, method, args) -> {
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
			if (result instanceof ResultSet resultSet && method.getReturnType() == ResultSet.class) {
				return proxy(ResultSet.class, resultSet);
			}
			if (result instanceof Statement statement && Statement.class.isAssignableFrom(method.getReturnType())) {
				return proxy((Class<Statement>) method.getReturnType(), statement);
			}
			if (target instanceof ResultSet && method.getName().equals("next") && Boolean.TRUE.equals(result)) {
				this.rows.incrementAndGet();
			}
			return result;
		};
		return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler);
	}

}
