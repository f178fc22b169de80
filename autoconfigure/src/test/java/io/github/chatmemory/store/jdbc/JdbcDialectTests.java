package io.github.chatmemory.store.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.AbstractDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link JdbcDialect} and {@link JdbcStoreSettings}: telling a database from its
 * metadata, and refusing settings that would break the SQL.
 */
class JdbcDialectTests {

	@Test
	void tellsEachSupportedDatabaseFromItsMetadata() {
		assertThat(JdbcDialect.detect(database("PostgreSQL", "15.20"))).isEqualTo(JdbcDialect.POSTGRESQL);
		assertThat(JdbcDialect.detect(database("MariaDB", "10.11.19-MariaDB"))).isEqualTo(JdbcDialect.MARIADB);
		// MySQL's driver calls MariaDB "MySQL": the version tells
		assertThat(JdbcDialect.detect(database("MySQL", "5.5.5-10.11.19-MariaDB"))).isEqualTo(JdbcDialect.MARIADB);
		assertThat(JdbcDialect.detect(database("MySQL", "8.4.0"))).isEqualTo(JdbcDialect.MYSQL);
		assertThat(JdbcDialect.detect(database("H2", "2.4.240 (2025-09-22)"))).isEqualTo(JdbcDialect.H2);
		assertThat(JdbcDialect.detect(database("SQLite", "3.50.3"))).isEqualTo(JdbcDialect.SQLITE);
	}

	@Test
	void anUnsupportedDatabaseIsNamedWithTheSupportedOnes() {
		assertThatIllegalStateException()
			.isThrownBy(() -> JdbcDialect.detect(database("Microsoft SQL Server", "16.00.4135")))
			.withMessage("The JDBC chat memory store does not support Microsoft SQL Server 16.00.4135; supported "
					+ "databases: postgresql, mariadb, mysql, h2, sqlite");
	}

	@Test
	void platformsNameTheScripts() {
		assertThat(JdbcDialect.values()).extracting(JdbcDialect::platform)
			.containsExactly("postgresql", "mariadb", "mysql", "h2", "sqlite");
		for (JdbcDialect dialect : JdbcDialect.values()) {
			JdbcSchema schema = new JdbcSchema(database("H2", "2"),
					new JdbcStoreSettings("chat_memory_", dialect, Duration.ofSeconds(5)));
			assertThat(schema.scriptLocation())
				.isEqualTo("classpath:io/github/chatmemory/store/jdbc/schema-" + dialect.platform() + ".sql");
			assertThat(schema.script()).contains("CREATE TABLE IF NOT EXISTS chat_memory_session")
				.doesNotContain("${table_prefix}");
		}
	}

	@Test
	void settingsRefuseAPrefixThatIsNoPlainIdentifierAndNonPositiveTimeouts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcStoreSettings("chat-memory_", JdbcDialect.H2, Duration.ofSeconds(5)))
			.withMessageContaining("tablePrefix must match");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcStoreSettings("x".repeat(32), JdbcDialect.H2, Duration.ofSeconds(5)))
			.withMessageContaining("at most 31");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcStoreSettings("1st_", JdbcDialect.H2, Duration.ofSeconds(5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcStoreSettings("ok_", JdbcDialect.H2, Duration.ZERO))
			.withMessageContaining("queryTimeout");
		assertThat(new JdbcStoreSettings("ok_", JdbcDialect.H2, Duration.ofMillis(1500)).timeoutSeconds()).isEqualTo(2);
		assertThat(new JdbcStoreSettings("ok_", JdbcDialect.H2, Duration.ofSeconds(5)).maxHistory()).isZero();
	}

	/**
	 * A data source whose connections only tell their database's name and version.
	 */
	private static DataSource database(String product, String version) {
		DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(JdbcDialectTests.class.getClassLoader(),
				new Class<?>[] { DatabaseMetaData.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getDatabaseProductName" -> product;
					case "getDatabaseProductVersion" -> version;
					default -> throw new UnsupportedOperationException(method.getName());
				});
		Connection connection = (Connection) Proxy.newProxyInstance(JdbcDialectTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getMetaData" -> metaData;
					case "close" -> null;
					case "isClosed" -> false;
					default -> throw new UnsupportedOperationException(method.getName());
				});
		return new AbstractDataSource() {

			@Override
			public Connection getConnection() {
				return connection;
			}

			@Override
			public Connection getConnection(String username, String password) {
				return connection;
			}

		};
	}

}
