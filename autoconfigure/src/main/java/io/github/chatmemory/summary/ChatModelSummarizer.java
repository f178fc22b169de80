package io.github.chatmemory.summary;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A {@link ChatMemorySummarizer} on the application's Spring AI {@link ChatModel}: one
 * call per summary, with {@link #INSTRUCTIONS} as the system message and, as the user
 * message, the previous summary followed by the new messages, one per line as
 * {@code role: text} (tool calls as {@code assistant calls name(arguments)}, tool results
 * as {@code tool name: result}).
 */
public class ChatModelSummarizer implements ChatMemorySummarizer {

	/** The system message of every summary call; {@code %d} is the token budget. */
	public static final String INSTRUCTIONS = """
			You keep a running summary of a conversation between a user and an assistant. \
			Rewrite the existing summary so that it also covers the new messages. Keep what later \
			turns may need: facts, names, numbers, dates, decisions, the user's goals and \
			preferences, and open questions; leave out small talk and repetition. Write plain \
			prose in the conversation's language, in at most %d tokens, without a preamble.""";

	private final Supplier<ChatModel> chatModel;

	private final @Nullable ChatOptions options;

	/**
	 * Create a summarizer.
	 * @param chatModel the model
	 * @param options the options of every call (model, temperature, ...), or {@code null}
	 * for the model's defaults
	 */
	public ChatModelSummarizer(ChatModel chatModel, @Nullable ChatOptions options) {
		this(() -> chatModel, options);
	}

	/**
	 * Create a summarizer that takes its model when it first summarizes, for a model that
	 * cannot exist before the chat memory (one whose tools use it).
	 * @param chatModel supplies the model, called at every summary
	 * @param options the options of every call (model, temperature, ...), or {@code null}
	 * for the model's defaults
	 */
	public ChatModelSummarizer(Supplier<ChatModel> chatModel, @Nullable ChatOptions options) {
		this.chatModel = chatModel;
		this.options = options;
	}

	@Override
	public Summary summarize(Request request) {
		String previous = (request.previousSummary() != null) ? request.previousSummary() : "(none yet)";
		String conversation = request.messages().stream().map(ChatModelSummarizer::line)
			.collect(Collectors.joining("\n"));
		Prompt prompt = new Prompt(List.of(new SystemMessage(INSTRUCTIONS.formatted(request.maxTokens())),
				new UserMessage("Existing summary:\n" + previous + "\n\nNew messages:\n" + conversation)),
				this.options);
		ChatResponse response = this.chatModel.get().call(prompt);
		String text = (response != null && response.getResult() != null)
				? response.getResult().getOutput().getText() : null;
		if (text == null || text.isBlank()) {
			throw new IllegalStateException("The chat model answered no summary");
		}
		String model = (response.getMetadata() != null && response.getMetadata().getModel() != null
				&& !response.getMetadata().getModel().isEmpty()) ? response.getMetadata().getModel()
						: (this.options != null) ? this.options.getModel() : null;
		return new Summary(text, model);
	}

	private static String line(StoredMessage message) {
		String role = message.role().name().toLowerCase(java.util.Locale.ROOT);
		StringBuilder line = new StringBuilder();
		if (!message.content().isEmpty()) {
			line.append(role).append(": ").append(message.content());
		}
		for (ToolCall call : message.toolCalls()) {
			line.append((line.length() > 0) ? "\n" : "").append(role).append(" calls ").append(call.name())
				.append('(').append(call.arguments()).append(')');
		}
		for (ToolResponse response : message.toolResponses()) {
			line.append((line.length() > 0) ? "\n" : "").append("tool ").append(response.name()).append(": ")
				.append(response.responseData());
		}
		return line.toString();
	}

}
