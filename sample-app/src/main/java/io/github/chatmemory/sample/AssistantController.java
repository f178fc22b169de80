package io.github.chatmemory.sample;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.springai.tool.ConversationSearchTool;
import io.github.chatmemory.support.InputValidator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;

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

	private final InputValidator validator;

	AssistantController(ChatClient chatClient, ChatMemoryManager manager) {
		this.chatClient = chatClient;
		this.validator = new InputValidator(manager.getValidationRules());
	}

	@Operation(summary = "Send a message and get the assistant's reply")
	@PostMapping("/sessions/{sessionId}/messages")
	@ApiResponse(responseCode = "200", description = "The reply; the turn is stored in the session")
	@ApiResponse(responseCode = "400", description = "A missing or blank message, or an invalid session id")
	@ApiResponse(responseCode = "503", description = "The store is unavailable")
	Reply send(@PathVariable String sessionId, @RequestBody(required = false) @Nullable Ask ask) {
		// named as in the path, before Spring AI's memory names it its conversation id
		this.validator.id("sessionId", sessionId);
		if (ask == null || ask.message() == null || ask.message().isBlank()) {
			throw new ChatMemoryValidationException("message", "must not be blank");
		}
		String reply = this.chatClient.prompt()
			.user(ask.message())
			.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, sessionId))
			// the tool is given the conversation, and takes its user from the stored session
			.toolContext(ConversationSearchTool.toolContext(sessionId))
			.call()
			.content();
		return new Reply(sessionId, reply);
	}

	record Ask(@Nullable String message) {
	}

	/** The reply, in the chat memory API's snake_case. */
	record Reply(@JsonProperty("session_id") String sessionId, String reply) {
	}

}
