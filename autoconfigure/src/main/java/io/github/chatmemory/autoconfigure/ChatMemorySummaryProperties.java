package io.github.chatmemory.autoconfigure;

import java.time.Duration;

import io.github.chatmemory.summary.SummarySettings;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of summaries: when a summary of the messages a context window leaves out is
 * made, how large it and one run may be, how runs are executed, and the options of the
 * default summarizer's model calls.
 */
@ConfigurationProperties("chat-memory.summary")
public class ChatMemorySummaryProperties {

	/**
	 * Whether windows hold a summary of the messages they leave out, made in the
	 * background by the application's ChatMemorySummarizer bean, else by its Spring AI
	 * ChatModel.
	 */
	private boolean enabled;

	/**
	 * Tokens of messages left out of the default window and not covered by the latest
	 * summary that start a new summary.
	 */
	private int triggerTokens = 2000;

	/**
	 * Most tokens a summary may take in the window; an answer of more than twice this is
	 * refused.
	 */
	private int maxTokens = 500;

	/**
	 * Most messages one summary run folds in; a longer backlog takes several runs.
	 */
	private int maxMessagesPerRun = 200;

	/**
	 * Most tokens of messages one summary run folds in (at least one message).
	 */
	private int maxTokensPerRun = 16_000;

	/**
	 * Longest one summary run may take before it is given up and its result dropped.
	 */
	private Duration timeout = Duration.ofSeconds(60);

	/**
	 * Summary runs at a time, on threads of their own.
	 */
	private int threads = 1;

	/**
	 * Summary runs that may wait; more are dropped and counted, never waited for.
	 */
	private int queueCapacity = 100;

	/**
	 * Options of the default summarizer's calls to the ChatModel.
	 */
	private final Options options = new Options();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getTriggerTokens() {
		return this.triggerTokens;
	}

	public void setTriggerTokens(int triggerTokens) {
		this.triggerTokens = triggerTokens;
	}

	public int getMaxTokens() {
		return this.maxTokens;
	}

	public void setMaxTokens(int maxTokens) {
		this.maxTokens = maxTokens;
	}

	public int getMaxMessagesPerRun() {
		return this.maxMessagesPerRun;
	}

	public void setMaxMessagesPerRun(int maxMessagesPerRun) {
		this.maxMessagesPerRun = maxMessagesPerRun;
	}

	public int getMaxTokensPerRun() {
		return this.maxTokensPerRun;
	}

	public void setMaxTokensPerRun(int maxTokensPerRun) {
		this.maxTokensPerRun = maxTokensPerRun;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public int getThreads() {
		return this.threads;
	}

	public void setThreads(int threads) {
		this.threads = threads;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public Options getOptions() {
		return this.options;
	}

	/**
	 * Convert to the core settings, naming the property of a bad value.
	 * @return the settings
	 */
	SummarySettings toSettings() {
		positive("trigger-tokens", this.triggerTokens);
		positive("max-tokens", this.maxTokens);
		positive("max-messages-per-run", this.maxMessagesPerRun);
		positive("max-tokens-per-run", this.maxTokensPerRun);
		positive("threads", this.threads);
		positive("queue-capacity", this.queueCapacity);
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.summary.timeout", this.timeout,
					"must be positive", "Set a positive duration, such as 60s.", null);
		}
		return new SummarySettings(this.triggerTokens, this.maxTokens, this.maxMessagesPerRun, this.maxTokensPerRun,
				this.timeout);
	}

	private static void positive(String name, int value) {
		if (value < 1) {
			throw new InvalidChatMemoryPropertyException("chat-memory.summary." + name, value, "must be positive",
					"Set a positive number or remove the property for its default.", null);
		}
	}

	/**
	 * Options of the default summarizer's model calls; unset options are the model's.
	 */
	public static class Options {

		/**
		 * Model to summarize with, such as a smaller, cheaper one than the chat's.
		 */
		private @Nullable String model;

		/**
		 * Sampling temperature; low values keep summaries factual.
		 */
		private @Nullable Double temperature = 0.2;

		/**
		 * Most tokens the model may answer; twice the summary's max-tokens when unset.
		 */
		private @Nullable Integer maxTokens;

		public @Nullable String getModel() {
			return this.model;
		}

		public void setModel(@Nullable String model) {
			this.model = model;
		}

		public @Nullable Double getTemperature() {
			return this.temperature;
		}

		public void setTemperature(@Nullable Double temperature) {
			this.temperature = temperature;
		}

		public @Nullable Integer getMaxTokens() {
			return this.maxTokens;
		}

		public void setMaxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
		}

		ChatOptions toChatOptions(int summaryMaxTokens) {
			return ChatOptions.builder()
				.model(this.model)
				.temperature(this.temperature)
				.maxTokens((this.maxTokens != null) ? this.maxTokens : 2 * summaryMaxTokens)
				.build();
		}

	}

}
