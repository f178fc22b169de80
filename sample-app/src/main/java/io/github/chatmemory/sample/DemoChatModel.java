package io.github.chatmemory.sample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.chatmemory.springai.ChatMemoryRecallAdvisor;
import io.github.chatmemory.springai.tool.ConversationSearchTool;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * An offline, deterministic stand-in for a real model, so the sample runs with no key and
 * no network. It only shows memory at work: it answers from what the prompt carries,
 * which is what the chat memory put there.
 */
public class DemoChatModel implements ChatModel {

	/** Marks every answer, so nobody mistakes the demo for a real model. */
	public static final String LABEL = "[demo model] ";

	private static final Pattern NAME_STATEMENT = Pattern.compile("(?i)\\bmy name is\\s+([\\p{L}][\\p{L}'-]*)");

	private static final Pattern NAME_QUESTION = Pattern.compile("(?i)\\bwhat(?:'s| is) my name\\b");

	/** Asks the demo to recall other conversations through the conversation_search tool. */
	private static final Pattern RECALL_QUESTION = Pattern
		.compile("(?i)\\bwhat did (?:we|i) (?:say|talk|discuss)(?: about)?\\s+(.+?)[?.!]*$");

	/**
	 * Finds a recall question anywhere in a snippet, which may be cut short: an earlier
	 * "what did we talk about X?" matches X too, but it is not what the user said about X.
	 */
	private static final Pattern RECALL_PHRASE = Pattern
		.compile("(?i)\\bwhat did (?:we|i) (?:say|talk|discuss)\\b");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d").withZone(ZoneOffset.UTC);

	/** Tool-calling options, so that a ChatClient passes its tools and tool context. */
	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().build();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		AssistantMessage recall = recall(prompt);
		if (recall != null) {
			return new ChatResponse(List.of(new Generation(recall)));
		}
		List<Message> userMessages = prompt.getInstructions()
			.stream()
			.filter((message) -> message.getMessageType() == MessageType.USER)
			.toList();
		String latest = userMessages.isEmpty() ? "" : userMessages.get(userMessages.size() - 1).getText();
		return new ChatResponse(
				List.of(new Generation(new AssistantMessage(LABEL + answer(latest, userMessages, recalled(prompt))))));
	}

	private String answer(String latest, List<Message> userMessages, List<String> recalled) {
		Matcher statement = NAME_STATEMENT.matcher(latest);
		if (statement.find()) {
			return "Nice to meet you, " + statement.group(1) + "!";
		}
		if (NAME_QUESTION.matcher(latest).find()) {
			for (int i = userMessages.size() - 2; i >= 0; i--) {
				Matcher earlier = NAME_STATEMENT.matcher(userMessages.get(i).getText());
				if (earlier.find()) {
					return "Your name is " + earlier.group(1) + ".";
				}
			}
			return "I don't know your name yet. Tell me with \"my name is ...\".";
		}
		if (!recalled.isEmpty()) {
			// what the recall advisor found in the user's other conversations
			return "From your other conversations I recall: " + recalled.get(0)
					+ ((recalled.size() > 1) ? " (and " + (recalled.size() - 1) + " more)" : "");
		}
		int remembered = userMessages.size() - 1;
		return "You said \"" + latest.trim() + "\". I remember " + remembered + " earlier message"
				+ ((remembered == 1) ? "" : "s") + " of yours in this conversation"
				+ (latest.toLowerCase(Locale.ROOT).contains("?") ? "; a real model would answer the question." : ".");
	}

	/**
	 * The messages the recall advisor put in the system message, most similar first.
	 */
	private static List<String> recalled(Prompt prompt) {
		String open = "<" + ChatMemoryRecallAdvisor.TAG + ">";
		String close = "</" + ChatMemoryRecallAdvisor.TAG + ">";
		for (Message message : prompt.getInstructions()) {
			String text = message.getText();
			int start = (message.getMessageType() == MessageType.SYSTEM && text != null) ? text.indexOf(open) : -1;
			int end = (start >= 0) ? text.indexOf(close, start) : -1;
			if (end > start) {
				return text.substring(start + open.length(), end)
					.lines()
					.filter((line) -> line.startsWith("- "))
					.map((line) -> line.substring(2))
					.toList();
			}
		}
		return List.of();
	}

	/**
	 * Ask the conversation_search tool, when offered, about "what did we say about X",
	 * and answer from what it found.
	 */
	private @Nullable AssistantMessage recall(Prompt prompt) {
		List<Message> messages = prompt.getInstructions();
		Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
		if (last instanceof ToolResponseMessage response) {
			return new AssistantMessage(LABEL + recalled(response.getResponses().get(0).responseData()));
		}
		// a request without tools has none (null) rather than an empty list
		boolean offered = prompt.getOptions() instanceof ToolCallingChatOptions options
				&& options.getToolCallbacks() != null && options.getToolCallbacks()
					.stream()
					.anyMatch((tool) -> tool.getToolDefinition().name().equals(ConversationSearchTool.NAME));
		Matcher question = (last instanceof UserMessage)
				? RECALL_QUESTION.matcher(last.getText().strip()) : null;
		if (!offered || question == null || !question.find()) {
			return null;
		}
		String arguments = JSON.createObjectNode().put("query", question.group(1).strip()).toString();
		return AssistantMessage.builder()
			.content("")
			.toolCalls(List.of(new AssistantMessage.ToolCall("recall-" + messages.size(), "function",
					ConversationSearchTool.NAME, arguments)))
			.build();
	}

	private static String recalled(String toolAnswer) {
		JsonNode answer = JSON.readTree(toolAnswer);
		if (answer.has("error")) {
			return "I could not search your other conversations: " + answer.get("message").stringValue();
		}
		JsonNode hits = answer.get("hits");
		if (hits.isEmpty()) {
			return "I found nothing about \"" + answer.get("query").stringValue() + "\" in your other conversations.";
		}
		// what the user said rather than the demo's echo of it, and not an earlier question
		// about the same thing
		JsonNode hit = hits.valueStream()
			.filter((candidate) -> candidate.get("role").stringValue().equals("user"))
			.filter((candidate) -> !RECALL_PHRASE.matcher(candidate.get("snippet").stringValue()).find())
			.findFirst()
			.orElse(hits.get(0));
		String where = hit.has("session_title") ? "\"" + hit.get("session_title").stringValue() + "\""
				: hit.get("session_id").stringValue();
		return "In " + where + " (" + DAY.format(Instant.parse(hit.get("time").stringValue())) + ") "
				+ (hit.get("role").stringValue().equals("user") ? "you" : "I") + " said: \""
				+ hit.get("snippet").stringValue() + "\"" + ((hits.size() > 1) ? " (and " + (hits.size() - 1)
						+ " more)" : "") + ".";
	}

}
