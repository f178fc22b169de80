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
import io.github.chatmemory.recall.RecallHit;
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
 * conversations by keyword or, when semantic recall is on, by meaning.
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
 * {@code maxResults} hits within about {@code maxTokens} tokens. The keyword search is
 * the project's keyword search, within its limits ({@code chat-memory.search.*}), newest
 * first. When the manager has semantic recall on
 * ({@link ChatMemoryManager#isRecallEnabled()}), the tool takes a {@code mode} argument,
 * {@value #SEMANTIC} (the default: messages similar in meaning, most similar first, with
 * their score) or {@value #KEYWORD}; with recall off the tool is keyword-only and its
 * schema has no {@code mode}.
 */
public final class ConversationSearchTool implements ToolCallback {

	/** The tool's name, as the model sees it. */
	public static final String NAME = "conversation_search";

	/** The mode that finds messages similar in meaning, through semantic recall. */
	public static final String SEMANTIC = "semantic";

	/** The mode that finds messages containing the query's text. */
	public static final String KEYWORD = "keyword";

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

	private static final String MODE = "mode";

	/** As the search validates it; said in the input schema so the model knows. */
	private static final int MAX_QUERY_LENGTH = 200;

	private final ChatMemoryManager manager;

	private final int maxResults;

	private final int maxTokens;

	private final TokenCountEstimator tokenCountEstimator;

	/** Whether the semantic mode is offered, fixed when the tool is made as the manager's recall is. */
	private final boolean semantic;

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
		this.semantic = manager.isRecallEnabled();
		this.definition = ToolDefinition.builder()
			.name(NAME)
			.description(this.semantic ? semanticDescription(maxResults) : keywordDescription(maxResults))
			.inputSchema(inputSchema(maxResults, this.semantic))
			.build();
	}

	private static String keywordDescription(int maxResults) {
		return "Search the user's other, earlier conversations for messages that contain a keyword or "
				+ "phrase (matched as text, ignoring case; not by meaning). Use it when the user refers to "
				+ "something discussed in another conversation. Returns at most " + maxResults
				+ " matches, newest first, each with its conversation (session_id, session_title), its message "
				+ "(message_id, role), its time and a short snippet around the match. This conversation is "
				+ "not searched: it is already in your context.";
	}

	private static String semanticDescription(int maxResults) {
		return "Search the user's other, earlier conversations. Use it when the user refers to something "
				+ "discussed in another conversation. In mode semantic (the default) it finds messages similar "
				+ "in meaning to the query, most similar first, with a score (higher is closer); in mode "
				+ "keyword it finds messages that contain the query as text, ignoring case, newest first. "
				+ "Returns at most " + maxResults + " matches, each with its conversation (session_id, "
				+ "session_title), its message (message_id, role), its time and a snippet. This conversation is "
				+ "not searched: it is already in your context.";
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
			if (!QUERY.equals(name) && !LIMIT.equals(name) && !(this.semantic && MODE.equals(name))) {
				// an owner, a session or anything else the model adds is refused, not
				// ignored: the model learns that this tool only searches its user's
				// conversations
				throw new ChatMemoryValidationException(name, "is not an argument of this tool, which takes only "
						+ (this.semantic ? "query, limit and mode" : "query and limit")
						+ " and always searches the current user's other conversations");
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
		JsonNode mode = tree.get(MODE);
		boolean bySense = this.semantic;
		if (mode != null && !mode.isNull()) {
			if (!mode.isString() || !(SEMANTIC.equals(mode.stringValue()) || KEYWORD.equals(mode.stringValue()))) {
				throw new ChatMemoryValidationException(MODE,
						"must be \"" + SEMANTIC + "\" or \"" + KEYWORD + "\" but was " + mode);
			}
			bySense = SEMANTIC.equals(mode.stringValue());
		}
		return new Arguments(text, hits, bySense);
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
		Map<String, Optional<ChatSession>> sessions = new HashMap<>();
		List<ObjectNode> candidates = new ArrayList<>();
		boolean more;
		if (arguments.semantic()) {
			List<RecallHit> hits = this.manager.recall(owner, arguments.query(), size, Set.of(conversationId)).hits();
			more = hits.size() > arguments.limit();
			for (RecallHit hit : hits.subList(0, Math.min(hits.size(), arguments.limit()))) {
				ChatSession session = ownSession(sessions, owner, hit.sessionId());
				if (session != null) {
					candidates.add(hit(hit, session));
				}
			}
		}
		else {
			SearchResult result = this.manager.searchUserSessions(owner, arguments.query(), 0, size,
					Set.of(conversationId));
			List<SearchHit> hits = result.hits();
			more = hits.size() > arguments.limit() || result.truncated();
			for (SearchHit hit : hits.subList(0, Math.min(hits.size(), arguments.limit()))) {
				ChatSession session = ownSession(sessions, owner, hit.sessionId());
				if (session != null) {
					candidates.add(hit(hit, session));
				}
			}
		}
		ObjectNode answer = MAPPER.createObjectNode();
		answer.put(QUERY, arguments.query());
		if (this.semantic) {
			answer.put(MODE, arguments.semantic() ? SEMANTIC : KEYWORD);
		}
		ArrayNode found = answer.putArray("hits");
		int tokens = tokens(answer.toString()) + tokens(",\"more\":false,\"note\":\"\"") + tokens(note(true, true));
		int left = 0;
		for (ObjectNode candidate : candidates) {
			int cost = tokens(candidate.toString()) + 1;
			if (left > 0 || tokens + cost > this.maxTokens) {
				// hits are in order (newest or most similar first): once one does not fit,
				// the ones after it are left out too
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

	/**
	 * The session of a hit if it is still the owner's: it may have been deleted, or
	 * created again for someone else, since the search read it.
	 */
	private @Nullable ChatSession ownSession(Map<String, Optional<ChatSession>> sessions, String owner,
			String sessionId) {
		ChatSession session = sessions.computeIfAbsent(sessionId, (id) -> this.manager.findSession(id)).orElse(null);
		return (session != null && owner.equals(session.userId())) ? session : null;
	}

	private static ObjectNode hit(RecallHit hit, ChatSession session) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("session_id", hit.sessionId());
		if (!session.title().isEmpty()) {
			node.put("session_title", session.title());
		}
		node.put("message_id", hit.messageId());
		node.put("role", hit.role().name().toLowerCase(Locale.ROOT));
		node.put("time", hit.createdAt().toString());
		// two decimals tell the model how close a hit is; more would only cost tokens
		node.put("score", Math.round(hit.score() * 100) / 100.0);
		node.put("snippet", hit.snippet());
		return node;
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

	private static String inputSchema(int maxResults, boolean semantic) {
		ObjectNode schema = MAPPER.createObjectNode();
		schema.put("type", "object");
		ObjectNode properties = schema.putObject("properties");
		properties.putObject(QUERY)
			.put("type", "string")
			.put("description", semantic
					? "What to find in earlier messages: a short description of it in semantic mode, a keyword "
							+ "or short phrase in keyword mode"
					: "A keyword or short phrase to find in earlier messages; prefer one distinctive word")
			.put("minLength", 1)
			.put("maxLength", MAX_QUERY_LENGTH);
		properties.putObject(LIMIT)
			.put("type", "integer")
			.put("description", "The most matches to return, " + maxResults + " if not given")
			.put("minimum", 1)
			.put("maximum", maxResults);
		if (semantic) {
			ObjectNode mode = properties.putObject(MODE)
				.put("type", "string")
				.put("description", "semantic (default): by meaning; keyword: by exact text")
				.put("default", SEMANTIC);
			mode.putArray("enum").add(SEMANTIC).add(KEYWORD);
		}
		schema.putArray("required").add(QUERY);
		schema.put("additionalProperties", false);
		return schema.toString();
	}

	/**
	 * The model's arguments, checked.
	 *
	 * @param query the text to find
	 * @param limit the most hits to return
	 * @param semantic whether to find by meaning rather than by text
	 */
	private record Arguments(String query, int limit, boolean semantic) {
	}

}
