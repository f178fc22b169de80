package io.github.chatmemory.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.summary.SummaryListener;
import io.github.chatmemory.window.ContextWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The chat memory meters besides the operation timer: messages appended by role, the
 * size of context windows in messages and tokens, and messages left out of windows by
 * reason.
 */
public class ChatMemoryMetrics implements SummaryListener {

	/** Counter of messages accepted by appends, idempotent retries included; tags role, store. */
	public static final String MESSAGES_APPENDED = "chat.memory.messages.appended";

	/** Distribution of the number of messages in context windows. */
	public static final String WINDOW_MESSAGES = "chat.memory.window.messages";

	/** Distribution of the number of tokens in context windows. */
	public static final String WINDOW_TOKENS = "chat.memory.window.tokens";

	/** Counter of messages left out of context windows; tag reason. */
	public static final String WINDOW_LEFT_OUT = "chat.memory.window.left.out";

	/** Counter of summaries stored. */
	public static final String SUMMARIES_MADE = "chat.memory.summaries.made";

	/** Counter of summary runs that failed; tag timeout (true/false). */
	public static final String SUMMARIES_FAILED = "chat.memory.summaries.failed";

	/** Counter of summary runs dropped without a summary; tag reason (stale, queue_full). */
	public static final String SUMMARIES_DROPPED = "chat.memory.summaries.dropped";

	/** Timer of summary runs that stored a summary. */
	public static final String SUMMARY_DURATION = "chat.memory.summaries.duration";

	/** Distribution of the tokens a stored summary saves over the messages it covers. */
	public static final String SUMMARY_TOKENS_SAVED = "chat.memory.summaries.tokens.saved";

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

	@Override
	public void made(StoredSummary summary, Duration duration) {
		Counter.builder(SUMMARIES_MADE).description("Summaries stored").register(this.registry).increment();
		Timer.builder(SUMMARY_DURATION)
			.description("Summary runs that stored a summary")
			.register(this.registry)
			.record(duration);
		DistributionSummary.builder(SUMMARY_TOKENS_SAVED)
			.description("Tokens a stored summary saves over the messages it covers")
			.register(this.registry)
			.record(summary.tokensSaved());
	}

	@Override
	public void failed(String sessionId, Duration duration, boolean timedOut) {
		Counter.builder(SUMMARIES_FAILED)
			.description("Summary runs that failed")
			.tag("timeout", Boolean.toString(timedOut))
			.register(this.registry)
			.increment();
	}

	@Override
	public void dropped(String sessionId, DropReason reason) {
		Counter.builder(SUMMARIES_DROPPED)
			.description("Summary runs dropped without a summary")
			.tag("reason", reason.name().toLowerCase(Locale.ROOT))
			.register(this.registry)
			.increment();
	}

}
