package io.github.chatmemory.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Gives each connection the store takes a network timeout, so that a database server
 * that hangs (stopped, or cut off without a reset) fails the call instead of holding it:
 * a query timeout alone cannot end such a wait, since the driver cancels a query by
 * asking the very server that does not answer. The connection's previous network timeout
 * is put back when it is closed, so that a pool hands it on to the application as it
 * was. As an {@link InfrastructureProxy} it stands for the data source it wraps in
 * Spring's transaction synchronization: the store still joins a transaction the
 * application began on that data source (whose connection is the application's, and
 * keeps its own network timeout).
 */
final class NetworkTimeoutDataSource extends DelegatingDataSource implements InfrastructureProxy {

	/** The driver runs its abort on the calling thread; nothing is scheduled. */
	private static final Executor CALLING_THREAD = Runnable::run;

	private final int timeoutMillis;

	NetworkTimeoutDataSource(DataSource target, int timeoutMillis) {
		super(target);
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return bounded(obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return bounded(obtainTargetDataSource().getConnection(username, password));
	}

	@Override
	public Object getWrappedObject() {
		return obtainTargetDataSource();
	}

	private Connection bounded(Connection connection) throws SQLException {
		int previous;
		try {
			previous = connection.getNetworkTimeout();
			connection.setNetworkTimeout(CALLING_THREAD, this.timeoutMillis);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return (Connection) Proxy.newProxyInstance(NetworkTimeoutDataSource.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Restoring(connection, previous));
	}

	/**
	 * Passes every call to the connection, putting its network timeout back before it is
	 * closed.
	 */
	private static final class Restoring implements InvocationHandler {

		private final Connection connection;

		private final int previousTimeout;

		Restoring(Connection connection, int previousTimeout) {
			this.connection = connection;
			this.previousTimeout = previousTimeout;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "unwrap":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
					break;
				case "isWrapperFor":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return true;
					}
					break;
				case "close":
					restore();
					break;
				default:
					break;
			}
			try {
				return method.invoke(this.connection, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private void restore() {
			try {
				if (!this.connection.isClosed()) {
					this.connection.setNetworkTimeout(CALLING_THREAD, this.previousTimeout);
				}
			}
			catch (SQLException | RuntimeException ex) {
				// a broken connection is closed next and never handed on
			}
		}

	}

}
