package io.github.chatmemory.springai;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;

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
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * A scripted stand-in for the real LLMs of Spring AI's tool-calling ITs, for call and
 * stream. Like OpenAI (HTTP 400) it refuses a prompt in which a tool message does not
 * directly follow the assistant message that made its call, or in which an assistant
 * tool call is not answered before the next user, assistant or system message.
 * <p>
 * Asked for the weather, it calls {@code getCurrentWeather} for San Francisco and Tokyo
 * in one round, then for Paris, then answers with the tool responses of the turn; so an
 * answer holds 30, 10 and 15 only when every round of the turn reached the model.
 * Anything else is answered by the next scripted reply.
 */
class ScriptedChatModel implements ChatModel {

	static final String WEATHER_QUESTION = "What's the weather like in San Francisco, Tokyo, and Paris in Celsius?";

	private static final Map<String, Integer> TEMPERATURES = Map.of("San Francisco", 30, "Tokyo", 10, "Paris", 15);

	final List<Prompt> prompts = new CopyOnWriteArrayList<>();

	private final List<String> replies;

	private int nextReply;

	/** Streamed replies fail after this many chunks; -1 for never. */
	private volatile int failStreamAfterChunks = -1;

	/** The metadata a provider puts on each reply (or streamed chunk of a reply). */
	private volatile ReplyMetadata replyMetadata = (reply, streamed) -> Map.of();

	ScriptedChatModel(String... replies) {
		this.replies = List.of(replies);
	}

	/**
	 * The weather tool of Spring AI's tool-calling ITs ({@code MockWeatherService}):
	 * 30 °C in San Francisco, 10 in Tokyo, 15 in Paris.
	 * @return the tool
	 */
	static ToolCallback weatherTool() {
		return FunctionToolCallback
			.builder("getCurrentWeather",
					(Function<WeatherRequest, WeatherResponse>) (request) -> new WeatherResponse(
							TEMPERATURES.getOrDefault(request.location(), 20), request.unit()))
			.description("Get the weather in location")
			.inputType(WeatherRequest.class)
			.build();
	}

	void failStreamAfterChunks(int chunks) {
		this.failStreamAfterChunks = chunks;
	}

	/**
	 * Put metadata on every reply, as a model provider does.
	 * @param replyMetadata the metadata of a reply, or of each chunk of a streamed reply
	 */
	void replyMetadata(ReplyMetadata replyMetadata) {
		this.replyMetadata = replyMetadata;
	}

	Prompt lastPrompt() {
		return this.prompts.get(this.prompts.size() - 1);
	}

	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().build();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		return new ChatResponse(List.of(new Generation(withMetadata(reply(prompt), false))));
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		return Flux.defer(() -> {
			AssistantMessage reply = reply(prompt);
			List<ChatResponse> chunks = new ArrayList<>();
			if (!reply.getToolCalls().isEmpty()) {
				chunks.add(new ChatResponse(List.of(new Generation(withMetadata(reply, true)))));
			}
			else {
				// a few pieces of text, as a model streams them
				String text = reply.getText();
				int step = Math.max(1, text.length() / 3);
				for (int start = 0; start < text.length(); start += step) {
					AssistantMessage chunk = new AssistantMessage(
							text.substring(start, Math.min(text.length(), start + step)));
					chunks.add(new ChatResponse(List.of(new Generation(withMetadata(chunk, true)))));
				}
			}
			int failAfter = this.failStreamAfterChunks;
			if (failAfter >= 0 && failAfter < chunks.size()) {
				return Flux.fromIterable(chunks.subList(0, failAfter))
					.concatWith(Flux.error(new IllegalStateException("connection reset by the model")));
			}
			return Flux.fromIterable(chunks);
		});
	}

	private AssistantMessage withMetadata(AssistantMessage reply, boolean streamed) {
		Map<String, Object> metadata = this.replyMetadata.of(reply, streamed);
		if (metadata.isEmpty()) {
			return reply;
		}
		return AssistantMessage.builder()
			.content(reply.getText())
			.properties(metadata)
			.toolCalls(reply.getToolCalls())
			.build();
	}

	private synchronized AssistantMessage reply(Prompt prompt) {
		this.prompts.add(prompt);
		refuseMalformed(prompt.getInstructions());
		List<Message> turn = currentTurn(prompt.getInstructions());
		if (turn.isEmpty() || !WEATHER_QUESTION.equals(turn.get(0).getText())) {
			if (this.nextReply >= this.replies.size()) {
				throw new IllegalStateException("No scripted reply left for " + prompt.getInstructions());
			}
			return new AssistantMessage(this.replies.get(this.nextReply++));
		}
		List<ToolResponseMessage.ToolResponse> responses = turn.stream()
			.filter(ToolResponseMessage.class::isInstance)
			.flatMap((message) -> ((ToolResponseMessage) message).getResponses().stream())
			.toList();
		if (responses.isEmpty()) {
			return toolCalls("San Francisco", "Tokyo");
		}
		if (responses.size() == 2) {
			return toolCalls("Paris");
		}
		return new AssistantMessage("The weather: " + responses.stream()
			.map(ToolResponseMessage.ToolResponse::responseData)
			.collect(Collectors.joining(", ")));
	}

	private AssistantMessage toolCalls(String... cities) {
		List<AssistantMessage.ToolCall> calls = new ArrayList<>();
		for (String city : cities) {
			calls.add(new AssistantMessage.ToolCall("call-" + this.prompts.size() + "-" + calls.size(), "function",
					"getCurrentWeather", "{\"location\":\"" + city + "\",\"unit\":\"C\"}"));
		}
		return AssistantMessage.builder().content("").toolCalls(calls).build();
	}

	/** The messages from the last user message on. */
	private static List<Message> currentTurn(List<Message> messages) {
		for (int i = messages.size() - 1; i >= 0; i--) {
			if (messages.get(i) instanceof UserMessage) {
				return messages.subList(i, messages.size());
			}
		}
		return List.of();
	}

	/**
	 * Refuse, as OpenAI's chat completions API does with HTTP 400, a tool message that
	 * does not follow the assistant message with its call, and an assistant tool call
	 * left without a response before the next other message or the end of the prompt.
	 */
	static void refuseMalformed(List<Message> messages) {
		Set<String> open = new HashSet<>();
		boolean inToolRun = false;
		for (Message message : messages) {
			if (message instanceof ToolResponseMessage tool) {
				if (!inToolRun) {
					throw badRequest("messages with role 'tool' must be a response to a preceding message with "
							+ "'tool_calls'", messages);
				}
				for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
					if (!open.remove(response.id())) {
						throw badRequest("tool_call_id " + response.id() + " answers no open tool call", messages);
					}
				}
				continue;
			}
			if (!open.isEmpty()) {
				throw badRequest("An assistant message with 'tool_calls' must be followed by tool messages "
						+ "responding to each 'tool_call_id'. Missing: " + open, messages);
			}
			inToolRun = false;
			if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
				assistant.getToolCalls().forEach((call) -> open.add(call.id()));
				inToolRun = true;
			}
		}
		if (!open.isEmpty()) {
			throw badRequest("An assistant message with 'tool_calls' must be followed by tool messages responding "
					+ "to each 'tool_call_id'. Missing: " + open, messages);
		}
	}

	private static IllegalStateException badRequest(String reason, List<Message> messages) {
		return new IllegalStateException("HTTP 400 Bad Request: " + reason + " in "
				+ messages.stream().map((message) -> message.getMessageType().getValue()).toList());
	}

	/**
	 * The metadata a model provider puts on a reply.
	 */
	@FunctionalInterface
	interface ReplyMetadata {

		/**
		 * The metadata of a reply.
		 * @param reply the reply (or one streamed chunk of it)
		 * @param streamed whether the reply is streamed
		 * @return its metadata
		 */
		Map<String, Object> of(AssistantMessage reply, boolean streamed);

	}

	record WeatherRequest(String location, String unit) {
	}

	record WeatherResponse(double temp, String unit) {
	}

}
