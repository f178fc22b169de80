package io.github.chatmemory.web;

import java.util.Map;
import java.util.function.Consumer;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SearchRequest;
import io.github.chatmemory.web.api.SessionResponse;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Ownership with Spring Security: user A's session is invisible to user B, whatever B
 * tries, and fully usable by A and by the administrator.
 */
class ChatMemoryRestSecurityIT extends AbstractRestIT {

	@Test
	void usersSeeOnlyTheirOwnSessions() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		ChatMemoryClient bob = RestClients.client(this.port, "bob");
		SessionResponse session = ada.createSession(new CreateSessionRequest("ada-private", null, "secret plans", null));
		ada.appendMessage(session.id(), message("the treasure is under the oak"), null);
		String id = session.id();

		Map<String, Consumer<ChatMemoryClient>> attempts = Map.ofEntries(
				Map.entry("read", (client) -> client.getSession(id)),
				Map.entry("read messages", (client) -> client.getMessages(id, null, null, null)),
				Map.entry("search", (client) -> client.searchSession(id, new SearchRequest("treasure", null, null))),
				Map.entry("search user", (client) -> client.searchUser("ada", "treasure", null, null)),
				Map.entry("list user", (client) -> client.listSessions("ada", 0, 10)),
				Map.entry("context", (client) -> client.getContextWindow(id, null, null)),
				Map.entry("export", (client) -> client.exportSession(id)),
				Map.entry("append", (client) -> client.appendMessage(id, message("bob was here"), null)),
				Map.entry("rename", (client) -> client.renameSession(id, new RenameSessionRequest("mine"))),
				Map.entry("deactivate", (client) -> client.deactivateSession(id)),
				Map.entry("clear", (client) -> client.clearMessages(id)),
				Map.entry("delete", (client) -> client.deleteSession(id)));
		attempts.forEach((name, attempt) -> assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.as("bob: " + name)
			.isThrownBy(() -> attempt.accept(bob)));
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).as("bob creates for ada")
			.isThrownBy(() -> bob.createSession(new CreateSessionRequest(null, "ada", null, null)));
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).as("bob replaces by import")
			.isThrownBy(() -> bob.importSession(ada.exportSession(id), null, null, true));
		assertThat(bob.searchUser("bob", "treasure", null, null).hits()).isEmpty();

		assertThat(ada.getSession(id).title()).isEqualTo("secret plans");
		assertThat(ada.getMessages(id, null, null, null).messages()).singleElement()
			.satisfies((message) -> assertThat(message.content()).isEqualTo("the treasure is under the oak"));
		assertThat(ada.searchSession(id, new SearchRequest("treasure", null, null)).hits()).hasSize(1);
		assertThat(ada.exportSession(id)).contains("treasure");
		assertThat(RestClients.client(this.port, "root").getSession(id).userId()).isEqualTo("ada");
		ada.appendMessage(id, message("still mine"), null);
		ada.deleteSession(id);
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class).isThrownBy(() -> ada.getSession(id));
	}

	private static AppendMessageRequest message(String content) {
		return new AppendMessageRequest(null, "user", null, content, null, null, null, null);
	}

}
