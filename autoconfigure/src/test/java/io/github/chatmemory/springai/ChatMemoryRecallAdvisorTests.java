package io.github.chatmemory.springai;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.autoconfigure.ChatMemoryAdvisorAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryAdvisorProperties;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryRecallAutoConfiguration;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.test.WordOverlapRecallConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChatMemoryRecallAdvisor} in a {@link ChatClient} with the store-backed memory
 * advisor, on the in-memory store and a test-only recall that scores by shared words:
 * one block of the user's other conversations within its budget, never another user's
 * words nor the current conversation, and the prompt unchanged without a user or hits.
 */
class ChatMemoryRecallAdvisorTests {

	private static final String OPEN = "<" + ChatMemoryRecallAdvisor.TAG + ">";

	private static final String CLOSE = "</" + ChatMemoryRecallAdvisor.TAG + ">";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryAdvisorAutoConfiguration.class))
		.withPropertyValues("chat-memory.store=in-memory", "chat-memory.recall.enabled=true")
		.withUserConfiguration(WordOverlapRecallConfiguration.class);

	@Test
	void addsTheUsersOtherConversationsAsOneBlock() {
		withConversations((manager, advisor) -> {
			ScriptedChatModel model = new ScriptedChatModel("Sure.");
			String reply = client(model, manager, advisor).prompt()
				.system("You are a travel assistant.")
				.user("Which colosseum tour did I like?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
				.call()
				.content();

			assertThat(reply).isEqualTo("Sure.");
			String system = system(model.lastPrompt());
			assertThat(system).startsWith("You are a travel assistant.\n\n");
			assertThat(occurrences(system, OPEN)).isOne();
			assertThat(occurrences(system, CLOSE)).isOne();
			String block = block(system);
			assertThat(block).contains("- In \"Trip to Rome\" (", "user: I loved the Colosseum tour at night");
			// another user's words and the current conversation stay out
			assertThat(block).doesNotContain("bob", "Bob", "tickets");
			// the current conversation is in the prompt as memory, not as recall
			assertThat(model.lastPrompt().getInstructions()).extracting(Message::getText)
				.contains("Colosseum tour tickets are booked for today");
		});
	}

	@Test
	void streamsWithTheSameBlock() {
		withConversations((manager, advisor) -> {
			ScriptedChatModel model = new ScriptedChatModel("Sure, streamed.");
			String reply = String.join("", client(model, manager, advisor).prompt()
				.user("Which colosseum tour did I like?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
				.stream()
				.content()
				.collectList()
				.block());

			assertThat(reply).isEqualTo("Sure, streamed.");
			String system = system(model.lastPrompt());
			// no system message of its own: the block is the whole system message
			assertThat(system).startsWith("Messages recalled from the user's other");
			assertThat(block(system)).contains("I loved the Colosseum tour at night").doesNotContain("Bob");
		});
	}

	@Test
	void keepsWithinItsTokenBudgetMostSimilarFirst() {
		this.contextRunner.run((context) -> {
			ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
			manager.createSession(new NewSession("now", "cy", "Now", Map.of()));
			for (int i = 0; i < 5; i++) {
				manager.createSession(new NewSession("old-" + i, "cy", "Old " + i, Map.of()));
				manager.appendMessage("old-" + i, NewMessage.of(MessageRole.USER,
						(i == 3) ? "lighthouse keeper island boat" : "lighthouse number " + i));
			}
			String template = "<" + ChatMemoryRecallAdvisor.TAG + ">\n" + ChatMemoryRecallAdvisor.RECALLED + "\n"
					+ "</" + ChatMemoryRecallAdvisor.TAG + ">";
			int budget = template.length() + 2 * 70;
			ChatMemoryRecallAdvisor advisor = ChatMemoryRecallAdvisor.builder(manager)
				.template(template)
				.maxTokens(budget)
				.tokenCountEstimator(new CharacterTokenEstimator())
				.build();
			ScriptedChatModel model = new ScriptedChatModel("Ok.");
			client(model, manager, advisor).prompt()
				.user("the lighthouse keeper on the island")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "now"))
				.call()
				.content();

			String system = system(model.lastPrompt());
			assertThat(system.length()).isLessThanOrEqualTo(budget);
			List<String> lines = block(system).lines().filter((line) -> !line.isBlank()).toList();
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).contains("lighthouse keeper island boat");
		});
	}

	@Test
	void leavesThePromptUnchangedWithoutUserOrHits() {
		withConversations((manager, advisor) -> {
			ScriptedChatModel model = new ScriptedChatModel("One.", "Two.", "Three.");
			ChatClient client = client(model, manager, advisor);
			client.prompt()
				.user("Which colosseum tour did I like?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "nobody"))
				.call()
				.content();
			assertThat(model.lastPrompt().getInstructions()).extracting(Message::getMessageType)
				.doesNotContain(MessageType.SYSTEM);
			client.prompt()
				.user("Anything about knitting patterns?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
				.call()
				.content();
			assertThat(model.lastPrompt().getInstructions()).extracting(Message::getMessageType)
				.doesNotContain(MessageType.SYSTEM);
			// a score under the minimum is no hit
			ScriptedChatModel strict = new ScriptedChatModel("Four.");
			client(strict, manager, ChatMemoryRecallAdvisor.builder(manager).minScore(0.9).build()).prompt()
				.user("Which colosseum tour did I like?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
				.call()
				.content();
			assertThat(strict.lastPrompt().getInstructions()).extracting(Message::getMessageType)
				.doesNotContain(MessageType.SYSTEM);
		});
	}

	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void anOutageLeavesTurnsUnchangedAndIsWarnedOnceUntilRecallWorksAgain(
			org.springframework.boot.test.system.CapturedOutput output) {
		java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
		ChatMemoryManager manager = ChatMemoryManager
			.builder(new io.github.chatmemory.store.memory.InMemoryChatMemoryStore(10, 100, java.time.Clock.systemUTC()))
			.recall(new io.github.chatmemory.recall.ChatMemoryRecall() {

				@Override
				public io.github.chatmemory.recall.RecallResult recall(String userId, String query, int limit,
						java.util.Set<String> excludedSessionIds) {
					if (down.get()) {
						throw new io.github.chatmemory.ChatMemoryUnavailableException("embedding model down",
								new IllegalStateException("connection refused"));
					}
					return new io.github.chatmemory.recall.RecallResult(List.of());
				}

				@Override
				public long reindex(String userId) {
					return 0;
				}

			})
			.build();
		manager.createSession(new NewSession("ada-today", "ada", "Today", Map.of()));
		ScriptedChatModel model = new ScriptedChatModel("One.", "Two.", "Three.", "Four.");
		ChatClient client = client(model, manager, ChatMemoryRecallAdvisor.builder(manager).build());
		for (int turn = 0; turn < 3; turn++) {
			assertThat(client.prompt()
				.user("Turn " + turn)
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
				.call()
				.content()).isNotBlank();
		}
		assertThat(occurrences(output.toString(), "Recall skipped")).as("warnings for three failed turns").isOne();
		down.set(false);
		client.prompt().user("Turn 4").advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today")).call().content();
		assertThat(output.toString()).contains("Recall works again");
	}

	@Test
	void theUserParameterNamesTheUserOfAConversationWithoutOwner() {
		withConversations((manager, advisor) -> {
			ScriptedChatModel model = new ScriptedChatModel("Ok.");
			client(model, manager, advisor).prompt()
				.user("Which colosseum tour did I like?")
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "bob-new")
					.param(ChatMemoryRecallAdvisor.USER_ID, "bob"))
				.call()
				.content();

			assertThat(block(system(model.lastPrompt()))).contains("Bob's Colosseum tour was sold out")
				.doesNotContain("I loved");
		});
	}

	@Test
	void onTheRealRecallAParaphraseFromAnotherConversationEntersTheBlock() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
					ChatMemoryRecallAutoConfiguration.class, ChatMemoryAdvisorAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory", "chat-memory.recall.enabled=true",
					"chat-memory.recall.indexer.interval=100ms")
			.withBean(MiniLmEmbeddingModel.class, MiniLmEmbeddingModel::new)
			.run((context) -> {
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				manager.createSession(new NewSession("ada-pets", "ada", "Pets", Map.of()));
				manager.createSession(new NewSession("ada-today", "ada", "Today", Map.of()));
				manager.createSession(new NewSession("bob-pets", "bob", "Bob's pets", Map.of()));
				manager.appendMessage("ada-pets", NewMessage.of(MessageRole.USER, "I adopted a puppy named Rex"));
				manager.appendMessage("ada-today", NewMessage.of(MessageRole.USER, "My new dog loves the beach"));
				manager.appendMessage("bob-pets", NewMessage.of(MessageRole.USER, "I adopted a puppy named Bella"));
				// indexing runs in the background: wait until the other user's message is indexed too
				long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
				while ((manager.recall("ada", "puppy", 5).hits().size() < 2
						|| manager.recall("bob", "puppy", 5).hits().isEmpty()) && System.nanoTime() < deadline) {
					Thread.sleep(100);
				}
				ScriptedChatModel model = new ScriptedChatModel("Ok.");
				client(model, manager, context.getBean(ChatMemoryRecallAdvisor.class)).prompt()
					.user("Tell me about my new dog")
					.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "ada-today"))
					.call()
					.content();

				String block = block(system(model.lastPrompt()));
				assertThat(block).contains("- In \"Pets\" (", "user: I adopted a puppy named Rex")
					.doesNotContain("Bella", "beach");
			});
	}

	@Test
	void theBeanIsDefinedOnlyWhenRecallIsOn() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryAdvisorAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryRecallAdvisor.class));
		// the properties' defaults, written as literals for the metadata, are the builder's
		ChatMemoryAdvisorProperties defaults = new ChatMemoryAdvisorProperties();
		assertThat(defaults.getTopK()).isEqualTo(ChatMemoryRecallAdvisor.DEFAULT_TOP_K);
		assertThat(defaults.getMaxTokens()).isEqualTo(ChatMemoryRecallAdvisor.DEFAULT_MAX_TOKENS);
		this.contextRunner.withPropertyValues("chat-memory.recall.advisor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryRecallAdvisor.class));
		this.contextRunner.withPropertyValues("chat-memory.recall.advisor.top-k=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("chat-memory.recall.advisor.top-k=0"));
	}

	/**
	 * Ada's trip, her conversation of today and Bob's trip, all mentioning the
	 * Colosseum; the advisor is the auto-configured one.
	 */
	private void withConversations(BiConsumer<ChatMemoryManager, ChatMemoryRecallAdvisor> test) {
		this.contextRunner.run((context) -> {
			ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
			manager.createSession(new NewSession("ada-rome", "ada", "Trip to Rome", Map.of()));
			manager.createSession(new NewSession("ada-today", "ada", "Today", Map.of()));
			manager.createSession(new NewSession("bob-rome", "bob", "Bob in Rome", Map.of()));
			manager.appendMessage("ada-rome", NewMessage.of(MessageRole.USER, "I loved the Colosseum tour at night"));
			manager.appendMessage("ada-today",
					NewMessage.of(MessageRole.USER, "Colosseum tour tickets are booked for today"));
			manager.appendMessage("bob-rome", NewMessage.of(MessageRole.USER, "Bob's Colosseum tour was sold out"));
			test.accept(manager, context.getBean(ChatMemoryRecallAdvisor.class));
		});
	}

	private static ChatClient client(ScriptedChatModel model, ChatMemoryManager manager,
			ChatMemoryRecallAdvisor advisor) {
		return ChatClient.builder(model)
			.defaultAdvisors(StoreBackedChatMemoryAdvisor.builder(new StoreBackedChatMemory(manager)).build(),
					advisor)
			.build();
	}

	private static String system(Prompt prompt) {
		List<Message> systems = prompt.getInstructions()
			.stream()
			.filter((message) -> message.getMessageType() == MessageType.SYSTEM)
			.toList();
		assertThat(systems).hasSize(1);
		return systems.get(0).getText();
	}

	private static String block(String system) {
		int start = system.indexOf(OPEN);
		int end = system.indexOf(CLOSE);
		assertThat(start).isNotNegative();
		assertThat(end).isGreaterThan(start);
		return system.substring(start + OPEN.length(), end);
	}

	private static int occurrences(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
