package io.github.chatmemory.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * The tables a test finds or drops by their prefix, read from the database's own
 * catalogue, so that a test sees what the store really created.
 */
final class JdbcTables {

	private JdbcTables() {
	}

	/**
	 * Return the names of the tables, in the connection's current schema, whose name
	 * starts with a prefix.
	 * @param dataSource the database
	 * @param prefix the prefix, matched ignoring case
	 * @return the table names
	 */
	static List<String> withPrefix(DataSource dataSource, String prefix) {
		try (Connection connection = dataSource.getConnection();
				ResultSet tables = connection.getMetaData()
					.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] { "TABLE" })) {
			List<String> names = new ArrayList<>();
			while (tables.next()) {
				String name = tables.getString("TABLE_NAME");
				if (name.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
					names.add(name);
				}
			}
			return names;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not list the tables of " + dataSource, ex);
		}
	}

	/**
	 * Drop the tables whose name starts with a prefix: only what a test created under
	 * its own random prefix.
	 * @param dataSource the database
	 * @param prefix the test's prefix
	 */
	static void dropWithPrefix(DataSource dataSource, String prefix) {
		// a prefix of a test's own, never one another test or an application may use
		if (!prefix.startsWith("cmt")) {
			throw new IllegalArgumentException("Not a test prefix: " + prefix);
		}
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			// the recall stamps' sequence, which no table listing shows
			statement.execute("DROP SEQUENCE IF EXISTS " + prefix + "recall_stamp");
		}
		catch (SQLException ex) {
			// a database without sequences keeps the stamps in a table, dropped below
		}
		for (int attempt = 0; attempt < 3; attempt++) {
			List<String> tables = withPrefix(dataSource, prefix);
			if (tables.isEmpty()) {
				return;
			}
			for (String table : tables) {
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute("DROP TABLE " + table);
				}
				catch (SQLException ex) {
					// another of the prefix's tables still refers to it: dropped in the next round
				}
			}
		}
		throw new IllegalStateException("Could not drop " + withPrefix(dataSource, prefix));
	}

}
