package io.github.chatmemory.springai.tool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryRecallAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryToolsAutoConfiguration;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.test.MutableClock;
import io.github.chatmemory.test.WordOverlapRecall;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The semantic mode of {@link ConversationSearchTool}, on a manager with recall on (a
 * test-only recall that scores by shared words): the default mode, most similar first
 * with a score, the current conversation and other users left out, keyword mode on
 * request, and no mode at all while recall is off.
 */
class ConversationSearchToolSemanticTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));

	private final ChatMemoryManager manager;

	private final ConversationSearchTool tool;

	ConversationSearchToolSemanticTests() {
		AtomicReference<ChatMemoryManager> self = new AtomicReference<>();
		this.manager = ChatMemoryManager.builder(new InMemoryChatMemoryStore(1000, 1000, this.clock))
			.clock(this.clock)
			.recall(new WordOverlapRecall(self::get))
			.build();
		self.set(this.manager);
		this.tool = new ConversationSearchTool(this.manager);
	}

	@Test
	void semanticIsTheDefaultMostSimilarFirstWithScore() {
		StoredMessage garden = say("ada-garden", "ada", "Garden", "my tomato plants need water every morning");
		say("ada-cook", "ada", "Cooking", "a tomato soup recipe");
		say("ada-now", "ada", "Today", "how often should I water the tomato plants?");
		say("bob-garden", "bob", "Bob's garden", "water the tomato plants every morning, says bob");
		say("bob-now", "bob", "", "hello");

		JsonNode answer = json(this.tool.call("{\"query\":\"water tomato plants morning\"}", from("ada-now")));

		assertThat(answer.get("mode").stringValue()).isEqualTo("semantic");
		assertThat(sessionsOf(answer)).containsExactly("ada-garden", "ada-cook");
		JsonNode best = answer.get("hits").get(0);
		assertThat(best.get("message_id").stringValue()).isEqualTo(garden.id());
		assertThat(best.get("session_title").stringValue()).isEqualTo("Garden");
		assertThat(best.get("score").doubleValue()).isEqualTo(1.0);
		assertThat(answer.get("hits").get(1).get("score").doubleValue()).isEqualTo(0.25);
		assertThat(answer.toString()).doesNotContain("says bob");
		assertThat(sessionsOf(json(this.tool.call("{\"query\":\"tomato plants\"}", from("bob-now")))))
			.containsExactly("bob-garden");
	}

	@Test
	void keywordModeOnRequest() {
		say("ada-garden", "ada", "Garden", "my tomato plants need water");
		say("ada-cook", "ada", "Cooking", "a TOMATO soup recipe");
		say("ada-now", "ada", "Today", "tomato?");

		JsonNode answer = json(this.tool.call("{\"query\":\"tomato soup\",\"mode\":\"keyword\"}", from("ada-now")));

		assertThat(answer.get("mode").stringValue()).isEqualTo("keyword");
		assertThat(sessionsOf(answer)).containsExactly("ada-cook");
		assertThat(answer.get("hits").get(0).has("score")).isFalse();
	}

	@Test
	void theSchemaOffersModeOnlyWithRecallOn() {
		JsonNode schema = json(this.tool.getToolDefinition().inputSchema());
		assertThat(schema.at("/properties/mode/enum").valueStream().map(JsonNode::stringValue))
			.containsExactly("semantic", "keyword");
		assertThat(this.tool.getToolDefinition().description()).contains("similar in meaning");

		ChatMemoryManager keywordOnly = ChatMemoryManager.builder(new InMemoryChatMemoryStore(10, 10, this.clock))
			.build();
		ConversationSearchTool plain = new ConversationSearchTool(keywordOnly);
		assertThat(json(plain.getToolDefinition().inputSchema()).at("/properties/mode").isMissingNode()).isTrue();
		keywordOnly.createSession(new NewSession("cy-now", "cy", "", Map.of()));
		JsonNode refused = json(plain.call("{\"query\":\"x\",\"mode\":\"semantic\"}", from("cy-now")));
		assertThat(refused.get("error").stringValue()).isEqualTo("invalid_argument");
		assertThat(refused.get("message").stringValue()).startsWith("mode: is not an argument");
	}

	@Test
	void aModeThatIsNeitherIsRefusedNamingTheArgument() {
		say("ada-now", "ada", "Today", "hello");
		for (String arguments : List.of("{\"query\":\"x\",\"mode\":\"fuzzy\"}", "{\"query\":\"x\",\"mode\":1}")) {
			JsonNode answer = json(this.tool.call(arguments, from("ada-now")));
			assertThat(answer.get("error").stringValue()).as(arguments).isEqualTo("invalid_argument");
			assertThat(answer.get("message").stringValue()).as(arguments)
				.startsWith("mode: must be \"semantic\" or \"keyword\"");
		}
	}

	@Test
	void semanticAnswersKeepWithinTheirTokenBudget() {
		for (int i = 0; i < 5; i++) {
			say("ada-" + i, "ada", "Old " + i, "lighthouse story number " + i + " " + "x".repeat(150));
		}
		say("ada-now", "ada", "Today", "hello");
		ConversationSearchTool small = new ConversationSearchTool(this.manager, 5, 600, new CharacterTokenEstimator());

		JsonNode answer = json(small.call("{\"query\":\"lighthouse story\"}", from("ada-now")));

		assertThat(answer.toString().length()).isLessThanOrEqualTo(600);
		assertThat(answer.get("hits").size()).isBetween(1, 4);
		assertThat(answer.get("more").booleanValue()).isTrue();
		assertThat(answer.get("note").stringValue()).contains("More matches were found than fit");
	}

	@Test
	void onTheRealRecallAParaphraseFindsTheUsersOtherConversation() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
					ChatMemoryRecallAutoConfiguration.class, ChatMemoryToolsAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory", "chat-memory.recall.enabled=true",
					"chat-memory.recall.indexer.interval=100ms", "chat-memory.tools.conversation-search.enabled=true")
			.withBean(MiniLmEmbeddingModel.class, MiniLmEmbeddingModel::new)
			.run((context) -> {
				ChatMemoryManager real = context.getBean(ChatMemoryManager.class);
				real.createSession(new NewSession("ada-pets", "ada", "Pets", Map.of()));
				real.createSession(new NewSession("ada-today", "ada", "Today", Map.of()));
				real.createSession(new NewSession("bob-pets", "bob", "Bob's pets", Map.of()));
				real.appendMessage("ada-pets", NewMessage.of(MessageRole.USER, "I adopted a puppy named Rex"));
				real.appendMessage("ada-today", NewMessage.of(MessageRole.USER, "My new dog loves the beach"));
				real.appendMessage("bob-pets", NewMessage.of(MessageRole.USER, "I adopted a puppy named Bella"));
				// indexing runs in the background: wait until every message is indexed
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				while ((real.recall("ada", "puppy", 5).hits().size() < 2
						|| real.recall("bob", "puppy", 5).hits().isEmpty()) && System.nanoTime() < deadline) {
					Thread.sleep(100);
				}
				ConversationSearchTool tool = context.getBean(ConversationSearchTool.class);

				JsonNode answer = json(tool.call("{\"query\":\"my pet dog\"}", from("ada-today")));

				assertThat(answer.get("mode").stringValue()).isEqualTo("semantic");
				assertThat(sessionsOf(answer)).containsExactly("ada-pets");
				assertThat(answer.get("hits").get(0).get("snippet").stringValue())
					.isEqualTo("I adopted a puppy named Rex");
				assertThat(answer.toString()).doesNotContain("Bella", "beach");
			});
	}

	private StoredMessage say(String sessionId, String userId, String title, String text) {
		if (this.manager.findSession(sessionId).isEmpty()) {
			this.manager.createSession(new NewSession(sessionId, userId, title, Map.of()));
		}
		this.clock.advance(Duration.ofMinutes(1));
		return this.manager.appendMessage(sessionId, NewMessage.of(MessageRole.USER, text));
	}

	private static ToolContext from(String conversationId) {
		return new ToolContext(ConversationSearchTool.toolContext(conversationId));
	}

	private static JsonNode json(String answer) {
		return JSON.readTree(answer);
	}

	private static List<String> sessionsOf(JsonNode answer) {
		return answer.get("hits").valueStream().map((hit) -> hit.get("session_id").stringValue()).toList();
	}

}
