package io.github.chatmemory.reliability;

import io.github.chatmemory.test.PrivateDatabaseServer;
import io.github.chatmemory.test.PrivateMariaDb;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link JdbcStoreFailureIT} on a private MariaDB server.
 */
class JdbcStoreFailureMariaDbIT extends JdbcStoreFailureIT {

	private static final PrivateMariaDb server = PrivateMariaDb.launch();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		jdbcProperties(registry, server);
	}

	@AfterAll
	static void removeServer() {
		server.close();
	}

	@Override
	PrivateDatabaseServer server() {
		return server;
	}

}
