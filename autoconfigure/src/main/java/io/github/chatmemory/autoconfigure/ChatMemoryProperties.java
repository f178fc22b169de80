package io.github.chatmemory.autoconfigure;

import java.time.Duration;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.search.KeywordSearch;
import io.github.chatmemory.window.WindowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for chat memory.
 */
@ConfigurationProperties("chat-memory")
public class ChatMemoryProperties {

	/**
	 * Store that keeps conversations. Defaults to 'redis' when a RedisConnectionFactory
	 * bean exists, else 'in-memory'; 'jdbc' (the application's DataSource) only when set.
	 */
	private @Nullable StoreType store;

	private final Window window = new Window();

	private final Validation validation = new Validation();

	private final Search search = new Search();

	private final Transfer transfer = new Transfer();

	private final Retention retention = new Retention();

	private final Health health = new Health();

	public @Nullable StoreType getStore() {
		return this.store;
	}

	public void setStore(@Nullable StoreType store) {
		this.store = store;
	}

	public Window getWindow() {
		return this.window;
	}

	public Validation getValidation() {
		return this.validation;
	}

	public Search getSearch() {
		return this.search;
	}

	public Transfer getTransfer() {
		return this.transfer;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * Health indicator settings.
	 */
	public static class Health {

		/**
		 * Longest a health check waits for the store before reporting it DOWN.
		 */
		private @Nullable Duration timeout;

		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "management.health.chatmemory.timeout", since = "0.1.0")
		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Keyword search settings.
	 */
	public static class Search {

		/**
		 * Maximum number of messages one keyword search reads; past it the result says
		 * the scan limit was reached.
		 */
		private int maxScannedMessages = 10_000;

		public int getMaxScannedMessages() {
			return this.maxScannedMessages;
		}

		public void setMaxScannedMessages(int maxScannedMessages) {
			this.maxScannedMessages = maxScannedMessages;
		}

		/**
		 * Maximum number of characters of content one keyword search matches against;
		 * past it the result says the character limit was reached.
		 */
		private long maxScannedCharacters = 10_000_000;

		/**
		 * Maximum number of sessions one search over a user's sessions visits, newest
		 * activity first; past it the result says the session limit was reached.
		 */
		private int maxScannedSessions = 500;

		/**
		 * Longest one keyword search runs; past it the search returns what it found and
		 * the result says it timed out.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * Most keyword searches that run at once; more wait up to 200 ms, then fail as
		 * an unavailable store does (REST 503).
		 */
		private int maxConcurrent = 4;

		public int getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(int maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

		public long getMaxScannedCharacters() {
			return this.maxScannedCharacters;
		}

		public void setMaxScannedCharacters(long maxScannedCharacters) {
			this.maxScannedCharacters = maxScannedCharacters;
		}

		public int getMaxScannedSessions() {
			return this.maxScannedSessions;
		}

		public void setMaxScannedSessions(int maxScannedSessions) {
			this.maxScannedSessions = maxScannedSessions;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		KeywordSearch.Limits toLimits() {
			return new KeywordSearch.Limits(this.maxScannedMessages, this.maxScannedCharacters,
					this.maxScannedSessions, this.timeout, this.maxConcurrent);
		}

	}

	/**
	 * Export and import settings.
	 */
	public static class Transfer {

		/**
		 * Largest import document accepted.
		 */
		private DataSize maxImportSize = DataSize.ofMegabytes(10);

		/**
		 * Most imports and exports that run at once, each holding up to a document in
		 * memory; more wait up to 200 ms, then fail as an unavailable store does (REST
		 * 503).
		 */
		private int maxConcurrent = 2;

		public int getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(int maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

		public DataSize getMaxImportSize() {
			return this.maxImportSize;
		}

		public void setMaxImportSize(DataSize maxImportSize) {
			this.maxImportSize = maxImportSize;
		}

	}

	/**
	 * Scheduled retention settings.
	 */
	public static class Retention {

		/**
		 * Sessions without activity for longer than this are deleted by a scheduled
		 * cleanup. Unset switches scheduled cleanup off.
		 */
		private @Nullable Duration maxAge;

		/**
		 * How often the scheduled cleanup runs.
		 */
		private Duration interval = Duration.ofHours(1);

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * The stores chat memory can use.
	 */
	public enum StoreType {

		/** Redis through Spring Data Redis and Boot's RedisConnectionFactory. */
		REDIS,

		/** The JVM heap, bounded; for tests, demos and single instances. */
		IN_MEMORY,

		/** A relational database through the application's DataSource; only when asked for. */
		JDBC

	}

	/**
	 * What ChatMemory.get returns to the model.
	 */
	public static class Window {

		/**
		 * Maximum number of messages in the context window, the pinned system message
		 * included. 0 means no message limit, which needs max-tokens.
		 */
		private int maxMessages = 20;

		/**
		 * Maximum number of tokens in the context window, the pinned system message and
		 * tool call arguments and responses included. Unset means no token limit.
		 */
		private @Nullable Integer maxTokens;

		/**
		 * Whether the context window, after the pinned system message, must start with a
		 * user message (or the tool call in flight), as Spring AI's
		 * MessageWindowChatMemory does.
		 */
		private boolean startOnUserMessage = true;

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = maxMessages;
		}

		public @Nullable Integer getMaxTokens() {
			return this.maxTokens;
		}

		public void setMaxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
		}

		public boolean isStartOnUserMessage() {
			return this.startOnUserMessage;
		}

		public void setStartOnUserMessage(boolean startOnUserMessage) {
			this.startOnUserMessage = startOnUserMessage;
		}

		private static WindowPolicy invalid(String property, @Nullable Object value, IllegalArgumentException ex) {
			throw new InvalidChatMemoryPropertyException(property, value, ex.getMessage(),
					"Set chat-memory.window.max-messages, chat-memory.window.max-tokens or both to a positive "
							+ "number.",
					ex);
		}

		WindowPolicy toPolicy() {
			if (this.maxMessages < 0) {
				throw new InvalidChatMemoryPropertyException("chat-memory.window.max-messages", this.maxMessages,
						"must be 0 (no limit) or positive", "Set chat-memory.window.max-messages to 0 or more.", null);
			}
			try {
				return new WindowPolicy((this.maxMessages > 0) ? this.maxMessages : null, this.maxTokens,
						this.startOnUserMessage);
			}
			catch (IllegalArgumentException ex) {
				boolean noLimit = this.maxMessages == 0 && this.maxTokens == null;
				String property = noLimit ? "chat-memory.window.max-messages" : "chat-memory.window.max-tokens";
				return invalid(property, noLimit ? this.maxMessages : this.maxTokens, ex);
			}
		}

	}

	/**
	 * Limits on input, enforced by ChatMemoryManager.
	 */
	public static class Validation {

		/**
		 * Pattern every session, user and message id must match.
		 */
		private String idPattern = ValidationRules.DEFAULT_ID_PATTERN;

		/**
		 * Maximum number of characters of a message's content.
		 */
		private int maxContentLength = 100_000;

		/**
		 * Maximum size of a message's or session's metadata, written as JSON. Assistant
		 * and tool messages saved through Spring AI's memory interfaces are stored
		 * without their largest metadata entries instead of being refused.
		 */
		private DataSize maxMetadataSize = DataSize.ofKilobytes(16);

		/**
		 * Largest metadata (as JSON) of a message a model wrote (assistant and tool
		 * messages), where providers put reasoning and log probabilities; never less than
		 * max-metadata-size. Through Spring AI's ChatMemory and ChatMemoryRepository, the
		 * largest entries beyond it are left out with a warning rather than refused.
		 */
		private DataSize maxModelMetadataSize = DataSize.ofKilobytes(256);

		/**
		 * Maximum size of one message's media: their bytes plus the characters of media
		 * given as URLs.
		 */
		private DataSize maxMediaSize = DataSize.ofBytes(ValidationRules.DEFAULT_MAX_MEDIA_BYTES);

		/**
		 * Maximum number of characters of a session title.
		 */
		private int maxTitleLength = 200;

		/**
		 * Maximum number of items one read returns.
		 */
		private int maxPageSize = 1000;

		/**
		 * Maximum number of messages appended in one call.
		 */
		private int maxMessagesPerAppend = 1000;

		/**
		 * Maximum number of messages in one imported session.
		 */
		private int maxImportMessages = 10_000;

		/**
		 * Maximum number of sessions one user may own, 0 for no limit; creating or
		 * importing one more is refused.
		 */
		private int maxSessionsPerUser = ChatMemoryManager.DEFAULT_MAX_SESSIONS_PER_USER;

		public int getMaxSessionsPerUser() {
			return this.maxSessionsPerUser;
		}

		public void setMaxSessionsPerUser(int maxSessionsPerUser) {
			this.maxSessionsPerUser = maxSessionsPerUser;
		}

		public int getMaxImportMessages() {
			return this.maxImportMessages;
		}

		public void setMaxImportMessages(int maxImportMessages) {
			this.maxImportMessages = maxImportMessages;
		}

		public String getIdPattern() {
			return this.idPattern;
		}

		public void setIdPattern(String idPattern) {
			this.idPattern = idPattern;
		}

		public int getMaxContentLength() {
			return this.maxContentLength;
		}

		public void setMaxContentLength(int maxContentLength) {
			this.maxContentLength = maxContentLength;
		}

		public DataSize getMaxMetadataSize() {
			return this.maxMetadataSize;
		}

		public void setMaxMetadataSize(DataSize maxMetadataSize) {
			this.maxMetadataSize = maxMetadataSize;
		}

		public DataSize getMaxModelMetadataSize() {
			return this.maxModelMetadataSize;
		}

		public void setMaxModelMetadataSize(DataSize maxModelMetadataSize) {
			this.maxModelMetadataSize = maxModelMetadataSize;
		}

		public DataSize getMaxMediaSize() {
			return this.maxMediaSize;
		}

		public void setMaxMediaSize(DataSize maxMediaSize) {
			this.maxMediaSize = maxMediaSize;
		}

		public int getMaxTitleLength() {
			return this.maxTitleLength;
		}

		public void setMaxTitleLength(int maxTitleLength) {
			this.maxTitleLength = maxTitleLength;
		}

		public int getMaxPageSize() {
			return this.maxPageSize;
		}

		public void setMaxPageSize(int maxPageSize) {
			this.maxPageSize = maxPageSize;
		}

		public int getMaxMessagesPerAppend() {
			return this.maxMessagesPerAppend;
		}

		public void setMaxMessagesPerAppend(int maxMessagesPerAppend) {
			this.maxMessagesPerAppend = maxMessagesPerAppend;
		}

		ValidationRules toRules() {
			java.util.regex.Pattern pattern;
			try {
				pattern = java.util.regex.Pattern.compile(this.idPattern);
			}
			catch (java.util.regex.PatternSyntaxException ex) {
				throw new InvalidChatMemoryPropertyException("chat-memory.validation.id-pattern", this.idPattern,
						"is not a valid regular expression (" + ex.getDescription() + " near index " + ex.getIndex()
								+ ")",
						"Set chat-memory.validation.id-pattern to a Java regular expression, or remove it to use "
								+ "the default.",
						ex);
			}
			return new ValidationRules(pattern, this.maxContentLength,
					(int) this.maxMetadataSize.toBytes(), this.maxTitleLength, this.maxPageSize,
					this.maxMessagesPerAppend, this.maxImportMessages, this.maxMediaSize.toBytes(),
					(int) Math.min(Integer.MAX_VALUE, this.maxModelMetadataSize.toBytes()));
		}

	}

}
