package io.github.chatmemory.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that runs a hook before each statement is prepared, with the statement's
 * SQL and the connection it is prepared on: it puts another writer's change exactly
 * between two statements of a store, which no timing of threads could do reliably.
 */
public final class StatementHookDataSource extends DelegatingDataSource {

	private final BiConsumer<String, Connection> hook;

	/**
	 * Run a hook before every statement prepared through a data source.
	 * @param target the data source
	 * @param hook what to run, given the statement's SQL and the connection (the target's)
	 */
	public StatementHookDataSource(DataSource target, BiConsumer<String, Connection> hook) {
		super(target);
		this.hook = hook;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return hooked(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return hooked(super.getConnection(username, password));
	}

	private Connection hooked(Connection connection) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
				this.hook.accept(sql, connection);
			}
			try {
				return method.invoke(connection, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		};
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				handler);
	}

}
