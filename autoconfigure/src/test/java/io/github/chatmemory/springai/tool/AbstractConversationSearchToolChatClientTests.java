package io.github.chatmemory.springai.tool;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured {@link ConversationSearchTool} in a {@link ChatClient} turn with
 * the memory advisor, on each store: a scripted model calls the tool, and the tool's
 * answer reaches the model naming session, message and time of the user's own other
 * conversations only, for call and stream.
 */
public abstract class AbstractConversationSearchToolChatClientTests {

	/**
	 * The context runner with the store under test configured and the tool enabled.
	 * @return the runner
	 */
	protected abstract ApplicationContextRunner contextRunner();

	@Test
	void theModelRecallsTheUsersOtherConversationsThroughTheTool() {
		contextRunner().run((context) -> {
			ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
			ConversationSearchTool tool = context.getBean("conversationSearchTool", ConversationSearchTool.class);
			String run = UUID.randomUUID().toString();
			String ada = "ada-" + run;
			manager.createSession(new NewSession("dinner-" + run, ada, "Dinner plans", Map.of()));
			StoredMessage pasta = manager.appendMessage("dinner-" + run,
					NewMessage.of(MessageRole.USER, "Remind me: pasta with basil and lemon"));
			manager.createSession(new NewSession("bob-" + run, "bob-" + run, "Bob's", Map.of()));
			manager.appendMessage("bob-" + run, NewMessage.of(MessageRole.USER, "bob's secret pasta"));

			for (boolean stream : new boolean[] { false, true }) {
				String conversationId = "now-" + stream + "-" + run;
				manager.createSession(new NewSession(conversationId, ada, "Today", Map.of()));
				// the model also tries to search bob's conversations: refused, the turn goes on
				RecallingChatModel model = new RecallingChatModel("{\"query\":\"pasta\",\"userId\":\"bob-" + run + "\"}",
						"{\"query\":\"pasta\"}");
				ChatClient chatClient = ChatClient.builder(model)
					.defaultAdvisors(MessageChatMemoryAdvisor.builder(context.getBean(ChatMemory.class)).build())
					.defaultToolCallbacks(tool)
					.build();
				var spec = chatClient.prompt()
					.user("What did we say about pasta?")
					.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, conversationId))
					.toolContext(ConversationSearchTool.toolContext(conversationId));
				String answer = stream ? String.join("", spec.stream().content().collectList().block())
						: spec.call().content();

				assertThat(model.offeredTools).containsOnly(ConversationSearchTool.NAME);
				assertThat(model.toolAnswers).hasSize(2);
				assertThat(model.toolAnswers.get(0)).contains("\"error\":\"invalid_argument\"", "userId")
					.doesNotContain("secret");
				String recalled = model.toolAnswers.get(1);
				assertThat(recalled).contains("\"session_id\":\"dinner-" + run + "\"",
						"\"session_title\":\"Dinner plans\"", "\"message_id\":\"" + pasta.id() + "\"",
						"\"time\":\"" + pasta.createdAt() + "\"", "pasta with basil")
					.doesNotContain("secret", conversationId);
				assertThat(answer).isEqualTo("You said: pasta with basil and lemon");
				// the turn is remembered as usual: question and answer
				assertThat(manager.getAllMessages(conversationId)).extracting(StoredMessage::role)
					.containsExactly(MessageRole.USER, MessageRole.ASSISTANT);
			}
		});
	}

	/**
	 * A scripted model that calls {@code conversation_search} once per scripted argument
	 * list, one call per round, then answers with the snippet of the first hit of the
	 * last answer.
	 */
	static final class RecallingChatModel implements ChatModel {

		final List<String> offeredTools = new CopyOnWriteArrayList<>();

		final List<String> toolAnswers = new CopyOnWriteArrayList<>();

		private final List<String> arguments;

		RecallingChatModel(String... arguments) {
			this.arguments = List.of(arguments);
		}

		@Override
		public ChatOptions getOptions() {
			return ToolCallingChatOptions.builder().build();
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			return new ChatResponse(List.of(new Generation(reply(prompt))));
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			return Flux.defer(() -> Flux.just(call(prompt)));
		}

		private synchronized AssistantMessage reply(Prompt prompt) {
			if (prompt.getOptions() instanceof ToolCallingChatOptions options) {
				options.getToolCallbacks()
					.stream()
					.map((callback) -> callback.getToolDefinition().name())
					.filter((name) -> !this.offeredTools.contains(name))
					.forEach(this.offeredTools::add);
			}
			List<Message> messages = prompt.getInstructions();
			int rounds = 0;
			String lastAnswer = null;
			for (int i = messages.size() - 1; i >= 0 && !(messages.get(i) instanceof UserMessage); i--) {
				if (messages.get(i) instanceof ToolResponseMessage response) {
					rounds++;
					if (lastAnswer == null) {
						lastAnswer = response.getResponses().get(0).responseData();
						this.toolAnswers.add(lastAnswer);
					}
				}
			}
			if (rounds < this.arguments.size()) {
				return AssistantMessage.builder()
					.content("")
					.toolCalls(List.of(new AssistantMessage.ToolCall("call-" + rounds, "function",
							ConversationSearchTool.NAME, this.arguments.get(rounds))))
					.build();
			}
			String snippet = lastAnswer.replaceAll("(?s).*\"snippet\":\"Remind me: ([^\"]*)\".*", "$1");
			return new AssistantMessage("You said: " + snippet);
		}

	}

}
