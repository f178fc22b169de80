package io.github.chatmemory.springai.tool;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatMemoryException;
import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConversationSearchTool}: the user comes from the stored session only,
 * the current conversation is left out, answers are bounded, and bad input or a missing
 * user is an answer for the model, never an exception.
 */
class ConversationSearchToolTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));

	private final ChatMemoryManager manager = ChatMemoryManager.builder(new InMemoryChatMemoryStore(1000, 1000, this.clock))
		.clock(this.clock)
		.build();

	private final ConversationSearchTool tool = new ConversationSearchTool(this.manager);

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

	@Test
	void findsTheUsersOtherConversationsAndNamesSessionMessageAndTime() {
		StoredMessage dinner = say("ada-dinner", "ada", "Dinner plans", "Let's cook pasta with basil tonight");
		say("ada-now", "ada", "Today", "What was that pasta recipe?");

		JsonNode answer = json(this.tool.call("{\"query\":\"PASTA\"}", from("ada-now")));

		assertThat(answer.get("query").stringValue()).isEqualTo("PASTA");
		assertThat(answer.get("hits")).hasSize(1);
		JsonNode hit = answer.get("hits").get(0);
		assertThat(hit.get("session_id").stringValue()).isEqualTo("ada-dinner");
		assertThat(hit.get("session_title").stringValue()).isEqualTo("Dinner plans");
		assertThat(hit.get("message_id").stringValue()).isEqualTo(dinner.id());
		assertThat(hit.get("role").stringValue()).isEqualTo("user");
		assertThat(hit.get("time").stringValue()).isEqualTo(dinner.createdAt().toString());
		assertThat(hit.get("snippet").stringValue()).contains("pasta with basil");
		assertThat(answer.get("more").booleanValue()).isFalse();
		assertThat(answer.has("note")).isFalse();
	}

	@Test
	void neverSearchesAnotherUsersConversationsWhateverTheModelPasses() {
		say("ada-old", "ada", "", "pasta for ada");
		say("ada-now", "ada", "", "hello");
		say("bob-old", "bob", "", "pasta for bob");
		say("bob-now", "bob", "", "hello");

		assertThat(sessionsOf(json(this.tool.call("{\"query\":\"pasta\"}", from("ada-now")))))
			.containsExactly("ada-old");
		assertThat(sessionsOf(json(this.tool.call("{\"query\":\"pasta\"}", from("bob-now")))))
			.containsExactly("bob-old");
		// an owner or a session in the arguments is refused, never used
		for (String arguments : List.of("{\"query\":\"pasta\",\"userId\":\"bob\"}",
				"{\"query\":\"pasta\",\"user_id\":\"bob\"}", "{\"query\":\"pasta\",\"sessionId\":\"bob-now\"}",
				"{\"query\":\"pasta\",\"chat_memory_conversation_id\":\"bob-now\"}",
				"{\"userId\":\"bob\",\"query\":\"pasta\"}")) {
			JsonNode answer = json(this.tool.call(arguments, from("ada-now")));
			assertThat(answer.get("error").stringValue()).as(arguments).isEqualTo("invalid_argument");
			assertThat(answer.get("message").stringValue()).as(arguments)
				.contains("is not an argument of this tool")
				.doesNotContain("pasta for bob");
		}
	}

	@Test
	void leavesTheCurrentConversationOut() {
		say("ada-old", "ada", "", "pasta once");
		say("ada-now", "ada", "", "pasta again");
		say("ada-now", "ada", "", "and pasta again");

		JsonNode answer = json(this.tool.call("{\"query\":\"pasta\"}", from("ada-now")));

		assertThat(sessionsOf(answer)).containsExactly("ada-old");
	}

	@Test
	void answersNoUserWithoutAConversationOrAnOwner() {
		say("ada-old", "ada", "", "pasta");
		// created through Spring AI's ChatMemory: no owner
		this.manager.appendMessages("anonymous", List.of(NewMessage.of(MessageRole.USER, "pasta")), true);

		assertNoUser(this.tool.call("{\"query\":\"pasta\"}"));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", null));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", new ToolContext(Map.of())));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", new ToolContext(Map.of(ChatMemory.CONVERSATION_ID, 42))));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", new ToolContext(Map.of("conversationId", "ada-old"))));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", from("anonymous")));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", from("no-such-session")));
		assertNoUser(this.tool.call("{\"query\":\"pasta\"}", from("not/an id")));
	}

	private static void assertNoUser(String answer) {
		JsonNode node = json(answer);
		assertThat(node.get("error").stringValue()).isEqualTo("no_user");
		assertThat(node.get("message").stringValue()).contains("No user is known");
		assertThat(node.has("hits")).isFalse();
	}

	@Test
	void returnsAtMostTheLimitNewestFirstAndSaysMoreExist() {
		for (int i = 0; i < 8; i++) {
			say("ada-" + i, "ada", "", "pasta number " + i);
		}
		say("ada-now", "ada", "", "hello");

		JsonNode byDefault = json(this.tool.call("{\"query\":\"pasta\"}", from("ada-now")));
		assertThat(sessionsOf(byDefault)).containsExactly("ada-7", "ada-6", "ada-5", "ada-4", "ada-3");
		assertThat(byDefault.get("more").booleanValue()).isTrue();
		assertThat(byDefault.get("note").stringValue()).contains("may exist");

		JsonNode two = json(this.tool.call("{\"query\":\"pasta\",\"limit\":2}", from("ada-now")));
		assertThat(sessionsOf(two)).containsExactly("ada-7", "ada-6");

		JsonNode all = json(new ConversationSearchTool(this.manager, 8, 5000, new CharacterTokenEstimator())
			.call("{\"query\":\"pasta\"}", from("ada-now")));
		assertThat(all.get("hits")).hasSize(8);
		assertThat(all.get("more").booleanValue()).isFalse();
	}

	@Test
	void staysWithinItsTokenBudgetWithSnippetsNotWholeMessages() {
		String filler = "word ".repeat(2_000);
		for (int i = 0; i < 5; i++) {
			say("ada-" + i, "ada", "A long talk " + i, filler + "pasta " + i + " " + filler);
		}
		say("ada-now", "ada", "", "hello");
		int maxTokens = 600;
		ConversationSearchTool bounded = new ConversationSearchTool(this.manager, 5, maxTokens,
				new CharacterTokenEstimator());

		String answer = bounded.call("{\"query\":\"pasta\"}", from("ada-now"));

		// one token a character: the whole answer fits the budget
		assertThat(answer.length()).isLessThanOrEqualTo(maxTokens);
		JsonNode node = json(answer);
		assertThat(node.get("hits").size()).isBetween(1, 4);
		assertThat(sessionsOf(node).get(0)).isEqualTo("ada-4");
		assertThat(node.get("hits").get(0).get("snippet").stringValue()).contains("pasta 4").hasSizeLessThan(400);
		assertThat(node.get("more").booleanValue()).isTrue();
		assertThat(node.get("note").stringValue()).contains("More matches were found than fit");
	}

	@Test
	void answersBadArgumentsWithAnErrorNamingTheFieldAndRule() {
		say("ada-now", "ada", "", "hello");
		Map<String, String> expected = Map.ofEntries(Map.entry("", "arguments: must be a JSON object with a query"),
				Map.entry("pasta", "arguments: not valid JSON"), Map.entry("[\"pasta\"]", "arguments: must be a JSON object"),
				Map.entry("{}", "query: is required"), Map.entry("{\"query\":null}", "query: is required"),
				Map.entry("{\"query\":\"  \"}", "query: must not be blank"),
				Map.entry("{\"query\":42}", "query: must be a string"),
				Map.entry("{\"query\":\"" + "x".repeat(201) + "\"}", "query: must be at most 200 characters"),
				Map.entry("{\"query\":\"pasta\",\"limit\":0}", "limit: must be an integer between 1 and 5 but was 0"),
				Map.entry("{\"query\":\"pasta\",\"limit\":6}", "limit: must be an integer between 1 and 5 but was 6"),
				Map.entry("{\"query\":\"pasta\",\"limit\":2.5}", "limit: must be an integer between 1 and 5"),
				Map.entry("{\"query\":\"pasta\",\"limit\":\"2\"}", "limit: must be an integer between 1 and 5"),
				Map.entry("{\"query\":\"pasta\",\"query\":\"basil\"}", "arguments: not valid JSON"),
				Map.entry("{\"query\":\"pasta\"} {}", "arguments: not valid JSON"));
		expected.forEach((arguments, message) -> {
			JsonNode answer = json(this.tool.call(arguments, from("ada-now")));
			assertThat(answer.get("error").stringValue()).as(arguments).isEqualTo("invalid_argument");
			assertThat(answer.get("message").stringValue()).as(arguments).startsWith(message);
		});
	}

	@Test
	void answersUnavailableWhenTheStoreIsDown() {
		InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(1000, 1000, this.clock);
		AtomicBoolean redisDown = new AtomicBoolean();
		ChatMemoryStore failingSearch = (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
					if (redisDown.get() && method.getName().equals("findSessionsByUser")) {
						throw new ChatMemoryUnavailableException("Redis is down", null);
					}
					try {
						return method.invoke(store, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		ChatMemoryManager down = ChatMemoryManager.builder(failingSearch).build();
		down.createSession(new NewSession("ada-now", "ada", "", Map.of()));
		redisDown.set(true);

		JsonNode answer = json(new ConversationSearchTool(down).call("{\"query\":\"pasta\"}", from("ada-now")));

		assertThat(answer.get("error").stringValue()).isEqualTo("unavailable");
	}

	@Test
	void searchesWithinThePageSizeTheValidationAllows() {
		ValidationRules defaults = ValidationRules.defaults();
		ValidationRules pageOfFive = new ValidationRules(defaults.idPattern(), defaults.maxContentLength(),
				defaults.maxMetadataBytes(), defaults.maxTitleLength(), 5, defaults.maxMessagesPerAppend(),
				defaults.maxImportMessages());
		ChatMemoryManager small = ChatMemoryManager.builder(new InMemoryChatMemoryStore(1000, 1000, this.clock))
			.clock(this.clock)
			.validationRules(pageOfFive)
			.build();
		small.createSession(new NewSession("ada-now", "ada", "", Map.of()));
		for (int i = 0; i < 7; i++) {
			small.createSession(new NewSession("ada-" + i, "ada", "", Map.of()));
			small.appendMessage("ada-" + i, NewMessage.of(MessageRole.USER, "pasta " + i));
		}
		// five hits asked of a search that allows five per page: the sixth, which says more exist, is not asked
		JsonNode answer = json(new ConversationSearchTool(small, 5, 1000, new CharacterTokenEstimator())
			.call("{\"query\":\"pasta\"}", from("ada-now")));

		assertThat(answer.has("error")).as(answer.toString()).isFalse();
		assertThat(answer.get("hits")).hasSize(5);
	}

	@Test
	void countsTheQuerysCharactersAsItsSchemaDoes() {
		say("ada-now", "ada", "", "hello");
		// 200 characters as the schema counts them, but 400 UTF-16 units
		String emoji = "\uD83C\uDF5D".repeat(200);

		JsonNode fits = json(this.tool.call("{\"query\":\"" + emoji + "\"}", from("ada-now")));
		JsonNode tooLong = json(this.tool.call("{\"query\":\"" + emoji + "x\"}", from("ada-now")));

		assertThat(fits.has("error")).as(fits.toString()).isFalse();
		assertThat(tooLong.get("error").stringValue()).isEqualTo("invalid_argument");
		assertThat(tooLong.get("message").stringValue()).isEqualTo("query: must be at most 200 characters but has 201");
	}

	@Test
	void answersAnyRefusalOfTheSearchAsAnErrorForTheModel() {
		InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(1000, 1000, this.clock);
		AtomicBoolean refuse = new AtomicBoolean();
		ChatMemoryStore refusingSearch = (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
					if (refuse.get() && method.getName().equals("findSessionsByUser")) {
						throw new ChatMemoryException("the search refused");
					}
					try {
						return method.invoke(store, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		ChatMemoryManager refusing = ChatMemoryManager.builder(refusingSearch).build();
		refusing.createSession(new NewSession("ada-now", "ada", "", Map.of()));
		refuse.set(true);

		JsonNode answer = json(new ConversationSearchTool(refusing).call("{\"query\":\"pasta\"}", from("ada-now")));

		assertThat(answer.get("error").stringValue()).isEqualTo("search_failed");
	}

	@Test
	void describesItselfToTheModel() {
		ConversationSearchTool three = new ConversationSearchTool(this.manager, 3, 1000, new CharacterTokenEstimator());
		assertThat(three.getToolDefinition().name()).isEqualTo("conversation_search");
		assertThat(three.getToolDefinition().description()).contains("at most 3 matches");
		JsonNode schema = json(three.getToolDefinition().inputSchema());
		assertThat(schema.get("required").get(0).stringValue()).isEqualTo("query");
		assertThat(schema.get("properties").propertyNames()).containsExactlyInAnyOrder("query", "limit");
		assertThat(schema.get("properties").get("limit").get("maximum").intValue()).isEqualTo(3);
		assertThat(schema.get("additionalProperties").booleanValue()).isFalse();
		assertThat(three.getToolMetadata().returnDirect()).isFalse();
	}

	@Test
	void refusesBoundsItCannotKeep() {
		CharacterTokenEstimator tokens = new CharacterTokenEstimator();
		assertThatIllegalArgumentException().isThrownBy(() -> new ConversationSearchTool(this.manager, 0, 1000, tokens))
			.withMessageContaining("maxResults");
		assertThatIllegalArgumentException().isThrownBy(() -> new ConversationSearchTool(this.manager, 51, 1000, tokens))
			.withMessageContaining("maxResults");
		assertThatIllegalArgumentException().isThrownBy(() -> new ConversationSearchTool(this.manager, 5, 99, tokens))
			.withMessageContaining("maxTokens");
	}

}
