package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.recall.RecallIndexingSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of semantic recall across a user's conversations: whether it is on, which
 * vector store keeps the vectors, what is indexed, how much an indexing pass and a
 * recall may do, and when its health is down.
 */
@ConfigurationProperties("chat-memory.recall")
public class ChatMemoryRecallProperties {

	/**
	 * Whether semantic recall is on; needs a Spring AI EmbeddingModel bean.
	 */
	private boolean enabled;

	/**
	 * Bean name of the Spring AI VectorStore that keeps the vectors. When not set: the
	 * only VectorStore bean, else an embedded index in this JVM.
	 */
	private @Nullable String vectorStore;

	/**
	 * Roles of the messages indexed; system messages and tool payloads are left out by
	 * default.
	 */
	private Set<MessageRole> roles = new LinkedHashSet<>(List.of(MessageRole.USER, MessageRole.ASSISTANT));

	/**
	 * Shortest message text indexed, in characters after trimming; shorter texts such as
	 * "ok" say too little to recall.
	 */
	private int minCharacters = 8;

	/**
	 * Most characters of a message's text embedded; the rest is cut.
	 */
	private int maxCharacters = 2000;

	/**
	 * Most characters of a message's text in a recall hit.
	 */
	private int snippetLength = 200;

	/**
	 * Most vectors read from the index for one recall, whatever the limit asked for; the
	 * vectors are over-fetched so that stale ones, checked against the store and left
	 * out, still leave enough hits.
	 */
	private int maxCandidates = 100;

	private final Embedded embedded = new Embedded();

	private final Indexer indexer = new Indexer();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getVectorStore() {
		return this.vectorStore;
	}

	public void setVectorStore(@Nullable String vectorStore) {
		this.vectorStore = vectorStore;
	}

	public Set<MessageRole> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<MessageRole> roles) {
		this.roles = roles;
	}

	public int getMinCharacters() {
		return this.minCharacters;
	}

	public void setMinCharacters(int minCharacters) {
		this.minCharacters = minCharacters;
	}

	public int getMaxCharacters() {
		return this.maxCharacters;
	}

	public void setMaxCharacters(int maxCharacters) {
		this.maxCharacters = maxCharacters;
	}

	public int getSnippetLength() {
		return this.snippetLength;
	}

	public void setSnippetLength(int snippetLength) {
		this.snippetLength = snippetLength;
	}

	public int getMaxCandidates() {
		return this.maxCandidates;
	}

	public void setMaxCandidates(int maxCandidates) {
		this.maxCandidates = maxCandidates;
	}

	public Embedded getEmbedded() {
		return this.embedded;
	}

	public Indexer getIndexer() {
		return this.indexer;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * Check the values and turn them into the indexer's settings.
	 * @return the settings
	 * @throws InvalidChatMemoryPropertyException naming the first property out of range
	 */
	public RecallIndexingSettings toSettings() {
		positive("min-characters", this.minCharacters, true);
		positive("max-characters", this.maxCharacters, false);
		if (this.maxCharacters < this.minCharacters) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall.max-characters", this.maxCharacters,
					"must be at least chat-memory.recall.min-characters (" + this.minCharacters + ")",
					"Raise chat-memory.recall.max-characters or lower chat-memory.recall.min-characters.", null);
		}
		if (this.roles.isEmpty()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall.roles", "", "must name at least one role",
					"Set chat-memory.recall.roles to user, assistant, system or tool, or leave it out.", null);
		}
		positive("snippet-length", this.snippetLength, false);
		positive("max-candidates", this.maxCandidates, false);
		positive("embedded.max-vectors", this.embedded.maxVectors, false);
		positive("indexer.tasks-per-pass", this.indexer.tasksPerPass, false);
		positive("indexer.messages-per-pass", this.indexer.messagesPerPass, false);
		positive("indexer.batch-size", this.indexer.batchSize, false);
		positive("health.failures-for-down", this.health.failuresForDown, false);
		positive("indexer.interval", this.indexer.interval);
		positive("indexer.max-backoff", this.indexer.maxBackoff);
		positive("indexer.lock-lease", this.indexer.lockLease);
		return new RecallIndexingSettings(this.roles, this.minCharacters, this.maxCharacters,
				this.indexer.tasksPerPass, this.indexer.messagesPerPass, this.indexer.batchSize, this.indexer.interval,
				this.indexer.maxBackoff);
	}

	private static void positive(String property, int value, boolean zeroAllowed) {
		if (value < 0 || (value == 0 && !zeroAllowed)) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall." + property, value,
					zeroAllowed ? "must not be negative" : "must be positive",
					"Set chat-memory.recall." + property + " to " + (zeroAllowed ? "0 or more" : "1 or more") + ".",
					null);
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall." + property, value, "must be positive",
					"Set chat-memory.recall." + property + " to a positive duration such as 1s.", null);
		}
	}

	/**
	 * The embedded index, used when there is no VectorStore bean.
	 */
	public static class Embedded {

		/**
		 * Most vectors the embedded index keeps (about 1.6 kB each with 384 dimensions);
		 * past it, the vectors indexed longest ago are dropped.
		 */
		private int maxVectors = 50_000;

		public int getMaxVectors() {
			return this.maxVectors;
		}

		public void setMaxVectors(int maxVectors) {
			this.maxVectors = maxVectors;
		}

	}

	/**
	 * The background indexer.
	 */
	public static class Indexer {

		/**
		 * Time between two indexing passes while the queue is empty; a pass that stops at
		 * its budget is followed at once by the next.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Most queued sessions read per pass.
		 */
		private int tasksPerPass = 100;

		/**
		 * Most messages read per pass, which bounds a pass's work; a longer session goes on
		 * in the next pass.
		 */
		private int messagesPerPass = 256;

		/**
		 * Most texts given to the embedding model or vector store at once.
		 */
		private int batchSize = 32;

		/**
		 * Longest wait after failed passes, which double the wait from the interval on.
		 */
		private Duration maxBackoff = Duration.ofMinutes(1);

		/**
		 * Longest a pass holds the lock that keeps other instances sharing the store out
		 * (Redis and JDBC stores), should its instance die during the pass.
		 */
		private Duration lockLease = Duration.ofMinutes(5);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getTasksPerPass() {
			return this.tasksPerPass;
		}

		public void setTasksPerPass(int tasksPerPass) {
			this.tasksPerPass = tasksPerPass;
		}

		public int getMessagesPerPass() {
			return this.messagesPerPass;
		}

		public void setMessagesPerPass(int messagesPerPass) {
			this.messagesPerPass = messagesPerPass;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getLockLease() {
			return this.lockLease;
		}

		public void setLockLease(Duration lockLease) {
			this.lockLease = lockLease;
		}

	}

	/**
	 * The chatMemoryRecall health contributor.
	 */
	public static class Health {

		/**
		 * Failed indexing passes in a row that make the health down.
		 */
		private int failuresForDown = 3;

		public int getFailuresForDown() {
			return this.failuresForDown;
		}

		public void setFailuresForDown(int failuresForDown) {
			this.failuresForDown = failuresForDown;
		}

	}

}
