package io.github.chatmemory.sample;

import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.springai.tool.ConversationSearchTool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample starts and chats with the conversation_search tool switched off, as README
 * offers: the assistant then has no tool to call and answers from its memory only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "chat-memory.tools.conversation-search.enabled=false")
class SampleWithoutRecallTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	ChatMemoryManager manager;

	@Test
	void startsAndAnswersWithoutTheTool() {
		assertThat(this.context.getBeanNamesForType(ConversationSearchTool.class)).isEmpty();
		this.manager.createSession(new NewSession("dee-trip", "dee", "Trip to Lima", Map.of()));
		this.manager.createSession(new NewSession("dee-today", "dee", "Today", Map.of()));
		send("dee-trip", "I want to see Lima");

		assertThat(send("dee-today", "What did we talk about Lima?"))
			.startsWith(DemoChatModel.LABEL + "You said \"What did we talk about Lima?\"");
	}

	private String send(String session, String message) {
		Map<?, ?> reply = RestClient.create("http://localhost:" + this.port)
			.post()
			.uri("/assistant/sessions/{id}/messages", session)
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
		return (String) reply.get("reply");
	}

}
