package io.github.chatmemory.reliability;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcDialect;
import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The JDBC store on the application's DataSource, made by the test from
 * {@code chat-memory.jdbc.table-prefix} and {@code chat-memory.jdbc.query-timeout} with
 * its schema created, so that the reliability tests run on the store before its
 * auto-configuration ({@code chat-memory.store=jdbc}) exists; the application's store bean
 * wins over the auto-configured one either way.
 */
@Configuration(proxyBeanMethods = false)
class JdbcStoreTestConfiguration {

	@Bean
	ChatMemoryStore jdbcChatMemoryStore(DataSource dataSource, Environment environment) {
		Binder binder = Binder.get(environment);
		JdbcStoreSettings settings = new JdbcStoreSettings(
				binder.bind("chat-memory.jdbc.table-prefix", String.class).get(), JdbcDialect.detect(dataSource),
				binder.bind("chat-memory.jdbc.query-timeout", Duration.class).orElse(Duration.ofSeconds(5)));
		new JdbcSchema(dataSource, settings).create();
		return new JdbcChatMemoryStore(dataSource, settings, Clock.systemUTC());
	}

}
