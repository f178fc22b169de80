package io.github.chatmemory.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.store.ChatMemoryStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's default store keeps a conversation across a restart: a chat with one
 * running sample, then a second sample started on the same database file remembers it.
 * The file lives in a folder under {@code target/} that does not exist before, as
 * {@code data/} does not on a first run.
 */
class SampleRestartTests {

	@Test
	void aConversationSurvivesARestart() throws Exception {
		Path folder = Path.of("target", "sample-restart", UUID.randomUUID().toString());
		assertThat(folder).doesNotExist();
		String url = "jdbc:h2:file:./" + folder.resolve("chat-memory").toString().replace('\\', '/');

		try (ConfigurableApplicationContext first = start(url)) {
			assertThat(first.getBean(ChatMemoryStore.class).type()).isEqualTo("jdbc");
			assertThat(send(first, "restart-1", "My name is Ada").get("reply")).asString().contains("Ada");
		}
		assertThat(folder).isDirectory();
		try (var files = Files.list(folder)) {
			assertThat(files.map((file) -> file.getFileName().toString())).anyMatch((name) -> name.endsWith(".db"));
		}

		try (ConfigurableApplicationContext second = start(url)) {
			assertThat(second.getBean(ChatMemoryManager.class).getSession("restart-1").messageCount()).isEqualTo(2);
			assertThat(send(second, "restart-1", "What is my name?").get("reply"))
				.isEqualTo(DemoChatModel.LABEL + "Your name is Ada.");
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(SampleAssistantApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url);
	}

	private static Map<?, ?> send(ConfigurableApplicationContext context, String session, String message) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.create("http://localhost:" + port)
			.post()
			.uri("/assistant/sessions/{id}/messages", session)
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
	}

}
