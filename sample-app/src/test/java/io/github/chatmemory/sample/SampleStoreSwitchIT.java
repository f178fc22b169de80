package io.github.chatmemory.sample;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's other stores still work as README says, now that its default is JDBC:
 * {@code --chat-memory.store=in-memory} and {@code --chat-memory.store=redis} (a private
 * redis-server here) keep the conversation, and neither creates a table in the sample's
 * database file, whose data source is still there.
 */
class SampleStoreSwitchIT {

	@Test
	void inMemoryStillWorksAndCreatesNoTable() {
		String url = url();
		try (ConfigurableApplicationContext sample = start("--spring.datasource.url=" + url,
				"--chat-memory.store=in-memory")) {
			assertThat(sample.getBean(ChatMemoryStore.class).type()).isEqualTo("in-memory");
			assertChats(sample);
			assertNoChatMemoryTable(sample);
		}
	}

	@Test
	void redisStillWorksAndCreatesNoTable() {
		assertThat(RedisServerProcess.isInstalled()).as("redis-server on the PATH (apt-get install redis-server)")
			.isTrue();
		RedisServerProcess redis = RedisServerProcess.start();
		try (ConfigurableApplicationContext sample = start("--spring.datasource.url=" + url(),
				"--chat-memory.store=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port())) {
			assertThat(sample.getBean(ChatMemoryStore.class).type()).isEqualTo("redis");
			assertChats(sample);
			assertThat(redis.cli("--scan", "--pattern", "chat-memory:*")).as("conversation kept in the private Redis")
				.contains("chat-memory:");
			assertNoChatMemoryTable(sample);
		}
		finally {
			redis.stop();
		}
	}

	private static String url() {
		return "jdbc:h2:file:./" + Path.of("target", "sample-switch", UUID.randomUUID().toString(), "chat-memory")
			.toString()
			.replace('\\', '/');
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[arguments.length + 1];
		all[0] = "--server.port=0";
		System.arraycopy(arguments, 0, all, 1, arguments.length);
		return new SpringApplicationBuilder(SampleAssistantApplication.class).run(all);
	}

	private static void assertChats(ConfigurableApplicationContext sample) {
		RestClient client = RestClient
			.create("http://localhost:" + ((WebServerApplicationContext) sample).getWebServer().getPort());
		send(client, "My name is Ada");
		assertThat(send(client, "What is my name?").get("reply")).isEqualTo(DemoChatModel.LABEL + "Your name is Ada.");
	}

	private static void assertNoChatMemoryTable(ConfigurableApplicationContext sample) {
		JdbcTemplate jdbc = new JdbcTemplate(sample.getBean(javax.sql.DataSource.class));
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE "
				+ "LOWER(TABLE_NAME) LIKE 'chat\\_memory\\_%' ESCAPE '\\'", Integer.class))
			.as("chat memory tables in the sample's database")
			.isZero();
	}

	private static Map<?, ?> send(RestClient client, String message) {
		return client.post()
			.uri("/assistant/sessions/{id}/messages", "switch-1")
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
	}

}
