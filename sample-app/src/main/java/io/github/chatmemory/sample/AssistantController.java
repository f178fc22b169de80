package io.github.chatmemory.sample;

import io.github.chatmemory.springai.tool.ConversationSearchTool;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The assistant's HTTP API: send a message to a conversation and get the reply.
 */
@RestController
@RequestMapping("/assistant")
class AssistantController {

	private final ChatClient chatClient;

	AssistantController(ChatClient chatClient) {
		this.chatClient = chatClient;
	}

	@PostMapping("/sessions/{sessionId}/messages")
	Reply send(@PathVariable String sessionId, @RequestBody Ask ask) {
		String reply = this.chatClient.prompt()
			.user(ask.message())
			.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, sessionId))
			// the tool is given the conversation, and takes its user from the stored session
			.toolContext(ConversationSearchTool.toolContext(sessionId))
			.call()
			.content();
		return new Reply(sessionId, reply);
	}

	record Ask(String message) {
	}

	record Reply(String sessionId, String reply) {
	}

}
