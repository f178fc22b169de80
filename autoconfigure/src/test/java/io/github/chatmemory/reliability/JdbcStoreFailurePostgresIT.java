package io.github.chatmemory.reliability;

import io.github.chatmemory.test.PrivateDatabaseServer;
import io.github.chatmemory.test.PrivatePostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link JdbcStoreFailureIT} on a private PostgreSQL server.
 */
class JdbcStoreFailurePostgresIT extends JdbcStoreFailureIT {

	private static final PrivatePostgres server = PrivatePostgres.launch();

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
