package io.github.chatmemory.sample;

import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.NewSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's assistant recalls what its user said in another conversation through the
 * conversation_search tool, and never what another user said.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleRecallTests {

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Test
	void recallsTheUsersOtherConversationOnly() {
		this.manager.createSession(new NewSession("ada-trip", "ada", "Trip to Rome", Map.of()));
		this.manager.createSession(new NewSession("ada-today", "ada", "Today", Map.of()));
		this.manager.createSession(new NewSession("bob-trip", "bob", "Bob's trip", Map.of()));
		this.manager.createSession(new NewSession("bob-today", "bob", "Today", Map.of()));
		send("ada-trip", "I want to see the Colosseum in Rome");
		send("bob-trip", "I want to see the Louvre in Paris");

		assertThat(send("ada-today", "What did we talk about Rome?"))
			.startsWith(DemoChatModel.LABEL + "In \"Trip to Rome\" (")
			.contains("you said: \"I want to see the Colosseum in Rome\"");
		assertThat(send("ada-today", "What did we talk about Paris?"))
			.isEqualTo(DemoChatModel.LABEL + "I found nothing about \"Paris\" in your other conversations.");
		assertThat(send("bob-today", "What did we say about Paris?")).contains("Louvre").doesNotContain("Colosseum");
		// a conversation no user owns has no other conversations to search
		assertThat(send("nobody", "What did we say about Rome?"))
			.startsWith(DemoChatModel.LABEL + "I could not search your other conversations: No user is known");
	}

	@Test
	void recallSkipsEarlierRecallQuestions() {
		this.manager.createSession(new NewSession("cy-trip", "cy", "Trip to Oslo", Map.of()));
		this.manager.createSession(new NewSession("cy-yesterday", "cy", "Yesterday", Map.of()));
		this.manager.createSession(new NewSession("cy-today", "cy", "Today", Map.of()));
		send("cy-trip", "I want to see the fjords near Oslo");
		// the newest hit for "Oslo" is now this question itself, in another conversation
		send("cy-yesterday", "What did we talk about Oslo?");

		assertThat(send("cy-today", "What did we talk about Oslo?"))
			.startsWith(DemoChatModel.LABEL + "In \"Trip to Oslo\" (")
			.contains("you said: \"I want to see the fjords near Oslo\"");
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
