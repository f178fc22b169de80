package io.github.chatmemory.actuate;

import java.util.List;
import java.util.Locale;

import io.github.chatmemory.NewMessage;
import io.github.chatmemory.window.ContextWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The chat memory meters besides the operation timer: messages appended by role, the
 * size of context windows in messages and tokens, and messages left out of windows by
 * reason.
 */
public class ChatMemoryMetrics {

	/** Counter of messages accepted by appends, idempotent retries included; tags role, store. */
	public static final String MESSAGES_APPENDED = "chat.memory.messages.appended";

	/** Distribution of the number of messages in context windows. */
	public static final String WINDOW_MESSAGES = "chat.memory.window.messages";

	/** Distribution of the number of tokens in context windows. */
	public static final String WINDOW_TOKENS = "chat.memory.window.tokens";

	/** Counter of messages left out of context windows; tag reason. */
	public static final String WINDOW_LEFT_OUT = "chat.memory.window.left.out";

	private final MeterRegistry registry;

	/**
	 * Create the meters' recorder.
	 * @param registry the meter registry
	 */
	public ChatMemoryMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void messagesAppended(String store, List<NewMessage> messages) {
		for (NewMessage message : messages) {
			Counter.builder(MESSAGES_APPENDED)
				.description("Messages accepted by appends, idempotent retries included")
				.tag("role", message.role().name().toLowerCase(Locale.ROOT))
				.tag("store", store)
				.register(this.registry)
				.increment();
		}
	}

	/**
	 * Record a context window that was built.
	 * @param window the window
	 */
	public void windowBuilt(ContextWindow window) {
		DistributionSummary.builder(WINDOW_MESSAGES)
			.description("Messages in context windows")
			.register(this.registry)
			.record(window.messages().size());
		DistributionSummary.builder(WINDOW_TOKENS)
			.description("Tokens in context windows")
			.register(this.registry)
			.record(window.totalTokens());
		window.leftOut()
			.forEach((reason, count) -> Counter.builder(WINDOW_LEFT_OUT)
				.description("Messages left out of context windows")
				.tag("reason", reason.name().toLowerCase(Locale.ROOT))
				.register(this.registry)
				.increment(count));
	}

}
