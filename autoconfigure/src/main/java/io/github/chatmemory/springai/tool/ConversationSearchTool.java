package io.github.chatmemory.springai.tool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.chatmemory.ChatMemoryException;
import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.search.SearchHit;
import io.github.chatmemory.search.SearchResult;
import io.github.chatmemory.support.StrictJson;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;
import org.springframework.ai.tokenizer.TokenCountEstimator;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.Assert;

/**
 * A Spring AI tool, {@value #NAME}, with which the model searches the current user's other
 * conversations by keyword.
 * <p>
 * The current conversation is the {@link ChatMemory#CONVERSATION_ID} entry of the
 * {@link ToolContext}, which the application sets
 * ({@code .toolContext(Map.of(ChatMemory.CONVERSATION_ID, id))}, see
 * {@link #toolContext(String)}); the user is the owner of that stored session. The model's
 * arguments are only a query and a limit: an owner or a session named in them is refused,
 * never trusted. A conversation with no owner gets a {@code no_user} answer, and bad
 * arguments or an unavailable store get an error answer the model can read, so none of
 * them breaks the chat turn.
 * <p>
 * Each hit names its session (id and title), message (id and role), time and a snippet
 * around the match, never the whole message; the answer holds at most
 * {@code maxResults} hits within about {@code maxTokens} tokens. The search is the
 * project's keyword search, within its limits ({@code chat-memory.search.*}).
 */
public final class ConversationSearchTool implements ToolCallback {

	/** The tool's name, as the model sees it. */
	public static final String NAME = "conversation_search";

	/** The default and largest number of hits per call. */
	public static final int DEFAULT_MAX_RESULTS = 5;

	/** The default token budget of one answer. */
	public static final int DEFAULT_MAX_TOKENS = 1000;

	/** The most hits a call may be configured to return. */
	public static final int MAX_RESULTS_LIMIT = 50;

	/** The smallest token budget: room for the answer's frame and a hit or two. */
	public static final int MIN_MAX_TOKENS = 100;

	private static final Log logger = LogFactory.getLog(ConversationSearchTool.class);

	private static final JsonMapper MAPPER = StrictJson.configure(JsonMapper.builder()).build();

	private static final String QUERY = "query";

	private static final String LIMIT = "limit";

	/** As the search validates it; said in the input schema so the model knows. */
	private static final int MAX_QUERY_LENGTH = 200;

	private final ChatMemoryManager manager;

	private final int maxResults;

	private final int maxTokens;

	private final TokenCountEstimator tokenCountEstimator;

	private final ToolDefinition definition;

	/**
	 * Create the tool with the default bounds and JTokkit's token estimate.
	 * @param manager the chat memory to search
	 */
	public ConversationSearchTool(ChatMemoryManager manager) {
		this(manager, DEFAULT_MAX_RESULTS, DEFAULT_MAX_TOKENS, new JTokkitTokenCountEstimator());
	}

	/**
	 * Create the tool.
	 * @param manager the chat memory to search
	 * @param maxResults the default and largest number of hits per call, 1 to
	 * {@value #MAX_RESULTS_LIMIT}
	 * @param maxTokens the most tokens of one answer, at least {@value #MIN_MAX_TOKENS}
	 * @param tokenCountEstimator how tokens are counted
	 */
	public ConversationSearchTool(ChatMemoryManager manager, int maxResults, int maxTokens,
			TokenCountEstimator tokenCountEstimator) {
		Assert.isTrue(maxResults >= 1 && maxResults <= MAX_RESULTS_LIMIT,
				() -> "maxResults must be between 1 and " + MAX_RESULTS_LIMIT + " but was " + maxResults);
		Assert.isTrue(maxTokens >= MIN_MAX_TOKENS,
				() -> "maxTokens must be at least " + MIN_MAX_TOKENS + " but was " + maxTokens);
		this.manager = manager;
		this.maxResults = maxResults;
		this.maxTokens = maxTokens;
		this.tokenCountEstimator = tokenCountEstimator;
		this.definition = ToolDefinition.builder()
			.name(NAME)
			.description("Search the user's other, earlier conversations for messages that contain a keyword or "
					+ "phrase (matched as text, ignoring case; not by meaning). Use it when the user refers to "
					+ "something discussed in another conversation. Returns at most " + maxResults
					+ " matches, newest first, each with its conversation (session_id, session_title), its message "
					+ "(message_id, role), its time and a short snippet around the match. This conversation is "
					+ "not searched: it is already in your context.")
			.inputSchema(inputSchema(maxResults))
			.build();
	}

	/**
	 * The tool context that names the current conversation, for
	 * {@code ChatClient.prompt().toolContext(..)}.
	 * @param conversationId the conversation id, as given to the memory advisor
	 * @return the tool context
	 */
	public static Map<String, Object> toolContext(String conversationId) {
		return Map.of(ChatMemory.CONVERSATION_ID, conversationId);
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.definition;
	}

	/**
	 * Answer without a tool context: there is no current conversation, so no user.
	 * @param toolInput the model's arguments
	 * @return the answer for the model
	 */
	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public String call(String toolInput, @Nullable ToolContext toolContext) {
		Arguments arguments;
		try {
			arguments = arguments(toolInput);
		}
		catch (ChatMemoryValidationException ex) {
			return error("invalid_argument", ex.getField() + ": " + ex.getRule());
		}
		try {
			String conversationId = conversationId(toolContext);
			String owner = (conversationId != null) ? owner(conversationId) : null;
			if (conversationId == null || owner == null) {
				return error("no_user", "No user is known for this conversation, so there are no other "
						+ "conversations to search.");
			}
			return search(owner, conversationId, arguments);
		}
		catch (ChatMemoryUnavailableException ex) {
			logger.warn(NAME + " could not search: " + ex.getMessage());
			return error("unavailable", "Conversation search is unavailable right now; try again later.");
		}
		catch (ChatMemoryValidationException ex) {
			// a rule of the search the arguments' checks do not foresee: the model can read it
			return error("invalid_argument", ex.getField() + ": " + ex.getRule());
		}
		catch (ChatMemoryException | IllegalArgumentException ex) {
			// whatever else the search refuses must not break the chat turn either
			logger.warn(NAME + " could not search: " + ex.getMessage());
			return error("search_failed", "Conversation search could not answer this request.");
		}
	}

	private Arguments arguments(@Nullable String toolInput) {
		if (toolInput == null || toolInput.isBlank()) {
			throw new ChatMemoryValidationException("arguments", "must be a JSON object with a query");
		}
		JsonNode tree = StrictJson.read(MAPPER, toolInput, JsonNode.class, "arguments");
		if (!tree.isObject()) {
			throw new ChatMemoryValidationException("arguments", "must be a JSON object with a query");
		}
		for (String name : tree.propertyNames()) {
			if (!QUERY.equals(name) && !LIMIT.equals(name)) {
				// an owner, a session or anything else the model adds is refused, not
				// ignored: the model learns that this tool only searches its user's
				// conversations
				throw new ChatMemoryValidationException(name, "is not an argument of this tool, which takes only "
						+ "query and limit and always searches the current user's other conversations");
			}
		}
		JsonNode query = tree.get(QUERY);
		if (query == null || query.isNull()) {
			throw new ChatMemoryValidationException(QUERY, "is required");
		}
		if (!query.isString()) {
			throw new ChatMemoryValidationException(QUERY, "must be a string");
		}
		String text = query.stringValue().strip();
		if (text.isEmpty()) {
			throw new ChatMemoryValidationException(QUERY, "must not be blank");
		}
		// characters as the schema's maxLength counts them: code points, not UTF-16 units
		int characters = text.codePointCount(0, text.length());
		if (characters > MAX_QUERY_LENGTH) {
			throw new ChatMemoryValidationException(QUERY,
					"must be at most " + MAX_QUERY_LENGTH + " characters but has " + characters);
		}
		JsonNode limit = tree.get(LIMIT);
		int hits = this.maxResults;
		if (limit != null && !limit.isNull()) {
			if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.intValue() < 1
					|| limit.intValue() > this.maxResults) {
				throw new ChatMemoryValidationException(LIMIT,
						"must be an integer between 1 and " + this.maxResults + " but was " + limit);
			}
			hits = limit.intValue();
		}
		return new Arguments(text, hits);
	}

	private static @Nullable String conversationId(@Nullable ToolContext toolContext) {
		if (toolContext == null) {
			return null;
		}
		Object id = toolContext.getContext().get(ChatMemory.CONVERSATION_ID);
		return (id instanceof String text && !text.isBlank()) ? text : null;
	}

	/** The owner of the stored session, the only source of the user. */
	private @Nullable String owner(String conversationId) {
		try {
			return this.manager.findSession(conversationId).map(ChatSession::userId).orElse(null);
		}
		catch (ChatMemoryValidationException ex) {
			// not an id a session can have, so no session and no user
			return null;
		}
	}

	private String search(String owner, String conversationId, Arguments arguments) {
		// one more than asked says whether more exist, within the page size a search allows
		int size = Math.min(arguments.limit() + 1, this.manager.getValidationRules().maxPageSize());
		SearchResult result = this.manager.searchUserSessions(owner, arguments.query(), 0, size,
				Set.of(conversationId));
		List<SearchHit> hits = result.hits();
		boolean more = hits.size() > arguments.limit() || result.truncated();
		Map<String, Optional<ChatSession>> sessions = new HashMap<>();
		ObjectNode answer = MAPPER.createObjectNode();
		answer.put(QUERY, arguments.query());
		ArrayNode found = answer.putArray("hits");
		List<ObjectNode> candidates = new ArrayList<>();
		for (SearchHit hit : hits.subList(0, Math.min(hits.size(), arguments.limit()))) {
			ChatSession session = sessions
				.computeIfAbsent(hit.sessionId(), (id) -> this.manager.findSession(id))
				.orElse(null);
			// a session deleted, or created again for someone else, since the search read it
			if (session == null || !owner.equals(session.userId())) {
				continue;
			}
			candidates.add(hit(hit, session));
		}
		int tokens = tokens(answer.toString()) + tokens(",\"more\":false,\"note\":\"\"") + tokens(note(true, true));
		int left = 0;
		for (ObjectNode candidate : candidates) {
			int cost = tokens(candidate.toString()) + 1;
			if (left > 0 || tokens + cost > this.maxTokens) {
				// hits are newest first: once one does not fit, older ones are left out too
				left++;
				continue;
			}
			tokens += cost;
			found.add(candidate);
		}
		answer.put("more", more || left > 0);
		String note = note(more, left > 0);
		if (note != null) {
			answer.put("note", note);
		}
		return answer.toString();
	}

	private static ObjectNode hit(SearchHit hit, ChatSession session) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("session_id", hit.sessionId());
		if (!session.title().isEmpty()) {
			node.put("session_title", session.title());
		}
		node.put("message_id", hit.messageId());
		node.put("role", hit.role().name().toLowerCase(Locale.ROOT));
		node.put("time", hit.createdAt().toString());
		node.put("snippet", hit.snippet());
		return node;
	}

	private static @Nullable String note(boolean more, boolean overBudget) {
		if (overBudget) {
			return "More matches were found than fit in this answer; search with a more specific query.";
		}
		if (more) {
			return "Older or further matches may exist; search with a more specific query.";
		}
		return null;
	}

	private int tokens(@Nullable String text) {
		return (text != null) ? this.tokenCountEstimator.estimate(text) : 0;
	}

	private static String error(String code, String message) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("error", code);
		node.put("message", message);
		return node.toString();
	}

	private static String inputSchema(int maxResults) {
		ObjectNode schema = MAPPER.createObjectNode();
		schema.put("type", "object");
		ObjectNode properties = schema.putObject("properties");
		properties.putObject(QUERY)
			.put("type", "string")
			.put("description", "A keyword or short phrase to find in earlier messages; prefer one distinctive word")
			.put("minLength", 1)
			.put("maxLength", MAX_QUERY_LENGTH);
		properties.putObject(LIMIT)
			.put("type", "integer")
			.put("description", "The most matches to return, " + maxResults + " if not given")
			.put("minimum", 1)
			.put("maximum", maxResults);
		schema.putArray("required").add(QUERY);
		schema.put("additionalProperties", false);
		return schema.toString();
	}

	/**
	 * The model's arguments, checked.
	 *
	 * @param query the text to find
	 * @param limit the most hits to return
	 */
	private record Arguments(String query, int limit) {
	}

}
