package io.github.chatmemory.store.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances that start at once on a database without the tables, both
 * with {@code chat-memory.jdbc.initialize-schema=always}: both start, every time. On
 * PostgreSQL, two {@code CREATE TABLE IF NOT EXISTS} or {@code CREATE INDEX IF NOT EXISTS}
 * of the same name that run at once fail one of them with a duplicate key in the
 * catalog, at any statement of the script, so a retry of the script can meet the other
 * instance again at a later statement.
 */
class JdbcSchemaConcurrentCreateIT {

	private static final int INSTANCES = 2;

	private static final int ROUNDS = 10;

	@ParameterizedTest
	@EnumSource(value = TestDatabases.class, names = { "POSTGRESQL", "MARIADB" })
	void twoInstancesCreatingTheTablesAtOnceBothStart(TestDatabases database) throws Exception {
		List<HikariDataSource> instances = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			instances.add(database.createDataSource(2));
		}
		ExecutorService executor = Executors.newFixedThreadPool(INSTANCES);
		List<String> failures = new ArrayList<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				String prefix = TestDatabases.randomPrefix();
				JdbcStoreSettings settings = new JdbcStoreSettings(prefix, database.dialect(), Duration.ofSeconds(10));
				CyclicBarrier start = new CyclicBarrier(INSTANCES);
				List<Future<?>> starts = new ArrayList<>();
				for (HikariDataSource instance : instances) {
					starts.add(executor.submit(() -> {
						start.await();
						new JdbcSchema(instance, settings).create();
						return null;
					}));
				}
				try {
					for (Future<?> started : starts) {
						try {
							started.get(30, TimeUnit.SECONDS);
						}
						catch (Exception ex) {
							failures.add("round " + round + ": " + ex);
						}
					}
					for (HikariDataSource instance : instances) {
						new JdbcSchema(instance, settings).check();
					}
				}
				finally {
					TestDatabases.dropTables(instances.get(0), prefix);
				}
			}
		}
		finally {
			executor.shutdownNow();
			instances.forEach(HikariDataSource::close);
		}
		assertThat(failures).isEmpty();
	}

}
