package io.github.chatmemory.autoconfigure;

import java.sql.DatabaseMetaData;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Tells whether a database runs inside the application, the rule behind
 * {@code chat-memory.jdbc.initialize-schema=embedded}: what Boot calls embedded (an
 * in-memory H2, HSQLDB or Derby) and also an H2 file database or any SQLite database,
 * which no other process serves either, so nobody else can have created their tables.
 */
final class InProcessDatabase {

	private InProcessDatabase() {
	}

	/**
	 * Whether the database of a data source runs inside the application.
	 * @param dataSource the data source, asked for its URL
	 * @return {@code true} for an embedded, H2 file or SQLite database
	 */
	static boolean isInProcess(DataSource dataSource) {
		return EmbeddedDatabaseConnection.isEmbedded(dataSource) || isInProcessUrl(url(dataSource));
	}

	/**
	 * Whether a JDBC URL names a database that runs inside the application.
	 * @param url the JDBC URL
	 * @return {@code true} for an H2 database not reached over TCP or SSL, or SQLite
	 */
	static boolean isInProcessUrl(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("jdbc:sqlite:")) {
			return true;
		}
		return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
	}

	private static String url(DataSource dataSource) {
		try {
			String url = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getURL);
			return (url != null) ? url : "";
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Could not read the URL of the chat memory store's database", ex);
		}
	}

}
