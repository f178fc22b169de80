package io.github.chatmemory.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample run as README says to keep conversations in a database server:
 * {@code --chat-memory.store=jdbc --spring.datasource.url=...}, on the machine's
 * PostgreSQL and MariaDB (both drivers come with the sample). Each run uses a table
 * prefix of its own and drops its tables after.
 */
class SampleExternalDatabaseIT {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "jdbc:postgresql://127.0.0.1:5432/test, postgres, postgresql",
			"jdbc:mariadb://127.0.0.1:3306/test, root, mariadb" })
	void chatsOnADatabaseServer(String url, String user, String database) throws SQLException {
		assertReachable(url, user);
		String prefix = "cmt_" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try (ConfigurableApplicationContext sample = new SpringApplicationBuilder(SampleAssistantApplication.class)
			.run("--server.port=0", "--chat-memory.store=jdbc", "--spring.datasource.url=" + url,
					"--spring.datasource.username=" + user, "--chat-memory.jdbc.table-prefix=" + prefix)) {
			assertThat(sample.getBean(ChatMemoryStore.class).type()).isEqualTo("jdbc");
			RestClient client = RestClient
				.create("http://localhost:" + ((WebServerApplicationContext) sample).getWebServer().getPort());
			send(client, "My name is Ada");
			assertThat(send(client, "What is my name?").get("reply")).isEqualTo(DemoChatModel.LABEL + "Your name is Ada.");
			assertThat(client.get().uri("/actuator/health").retrieve().body(String.class))
				.contains("\"store\":\"jdbc\"", "\"database\":\"" + database + "\"");
			assertThat(tables(url, user, prefix)).isNotEmpty();
		}
		finally {
			drop(url, user, prefix);
		}
	}

	private static Map<?, ?> send(RestClient client, String message) {
		return client.post()
			.uri("/assistant/sessions/{id}/messages", "db-1")
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
	}

	private static void assertReachable(String url, String user) {
		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			assertThat(connection.isValid(2)).isTrue();
		}
		catch (SQLException ex) {
			throw new AssertionError("This test needs the database at " + url + " (user " + user
					+ ", no password): " + ex.getMessage(), ex);
		}
	}

	private static List<String> tables(String url, String user, String prefix) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, user, "");
				ResultSet tables = connection.getMetaData()
					.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] { "TABLE" })) {
			List<String> names = new ArrayList<>();
			while (tables.next()) {
				String name = tables.getString("TABLE_NAME");
				if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
					names.add(name);
				}
			}
			return names;
		}
	}

	/** Drops only this run's tables (in rounds, as one may refer to another) and its sequence. */
	private static void drop(String url, String user, String prefix) throws SQLException {
		for (int round = 0; round < 3 && !tables(url, user, prefix).isEmpty(); round++) {
			for (String table : tables(url, user, prefix)) {
				try (Connection connection = DriverManager.getConnection(url, user, "");
						Statement statement = connection.createStatement()) {
					statement.execute("DROP TABLE " + table);
				}
				catch (SQLException ex) {
					// still referred to by another of this run's tables: the next round drops it
				}
			}
		}
		try (Connection connection = DriverManager.getConnection(url, user, "");
				Statement statement = connection.createStatement()) {
			// the recall queue's stamps come from a sequence, which is no table
			statement.execute("DROP SEQUENCE IF EXISTS " + prefix + "recall_stamp");
		}
		assertThat(tables(url, user, prefix)).as("tables left by this run").isEmpty();
	}

}
