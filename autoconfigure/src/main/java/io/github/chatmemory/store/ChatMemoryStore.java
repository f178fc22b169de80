package io.github.chatmemory.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import org.jspecify.annotations.Nullable;

/**
 * The storage SPI behind chat memory: a small set of operations that each store performs
 * atomically. Arguments are already validated by the caller.
 */
public interface ChatMemoryStore {

	/**
	 * A short name of the store type, used in logs, health and metrics.
	 * @return the store type, such as {@code redis} or {@code in-memory}
	 */
	String type();

	/**
	 * Make one round trip to the store, for health checks.
	 * @throws io.github.chatmemory.ChatMemoryUnavailableException if the store does not
	 * answer
	 */
	void ping();

	/**
	 * Create a session.
	 * @param id the session id
	 * @param userId the owning user
	 * @param title the title
	 * @param metadata the metadata
	 * @return the created session
	 * @throws SessionAlreadyExistsException if the id is taken
	 */
	ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata);

	/**
	 * Find a session.
	 * @param id the session id
	 * @return the session, or empty if it does not exist
	 */
	Optional<ChatSession> findSession(String id);

	/**
	 * Change the title, active flag or both of a session, counting as activity.
	 * @param id the session id
	 * @param update the changes
	 * @param owner if not {@code null}, the user who must own the session: a session of
	 * another user, or without one, is treated as missing, decided in the same atomic
	 * step as the change
	 * @return the updated session
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws SessionVersionConflictException if the update expects another version
	 */
	ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner);

	/**
	 * Delete a session, its messages and its index entries.
	 * @param id the session id
	 * @param owner if not {@code null}, the user who must own the session, checked
	 * atomically with the delete
	 * @return {@code true} if the session existed (and was the owner's)
	 */
	boolean deleteSession(String id, @Nullable String owner);

	/**
	 * Append messages in order. Messages whose id is already stored in the session are
	 * not stored again; the stored message with that id is returned in their place.
	 * @param sessionId the session id
	 * @param messages the messages, each with an id
	 * @param createIfMissing create an owner-less session if none exists
	 * @param owner if not {@code null}, the user who must own the session, checked
	 * atomically with the append
	 * @return the stored messages, one for each given message, in order
	 * @throws SessionNotFoundException if the session does not exist (or is not the
	 * owner's) and {@code createIfMissing} is {@code false}
	 * @throws SessionInactiveException if the session is deactivated
	 * @throws io.github.chatmemory.IdempotencyConflictException if a known id (stored, or
	 * earlier in the batch) comes with another message; decided before anything is written
	 * @throws io.github.chatmemory.ChatMemoryValidationException if a message's
	 * {@code responseTo} names no message of the session nor an earlier one of the batch
	 */
	default List<StoredMessage> append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner) {
		return append(sessionId, messages, createIfMissing, owner, null).messages();
	}

	/**
	 * Append messages in order, as {@link #append(String, List, boolean, String)} does,
	 * only if the session is at an expected version, decided in the same atomic step as
	 * the append. The version is checked only when something would be written: a retry of
	 * messages that are all stored already returns them whatever the version.
	 * @param sessionId the session id
	 * @param messages the messages, each with an id
	 * @param createIfMissing create an owner-less session if none exists; never when an
	 * expected version is given
	 * @param owner if not {@code null}, the user who must own the session
	 * @param expectedVersion if not {@code null}, the version the session must be at
	 * @return the stored messages, one for each given message, and the version the
	 * session is at after the append
	 * @throws SessionNotFoundException if the session does not exist (or is not the
	 * owner's) and it may not be created
	 * @throws SessionVersionConflictException if the session is at another version than
	 * expected and something would be written
	 * @throws SessionInactiveException if the session is deactivated
	 * @throws io.github.chatmemory.IdempotencyConflictException if a known id comes with
	 * another message
	 * @throws io.github.chatmemory.ChatMemoryValidationException if a message's
	 * {@code responseTo} names no message of the session nor an earlier one of the batch
	 */
	VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion);

	/**
	 * Atomically replace every message of a session, creating an owner-less session if
	 * none exists. Sequences keep increasing across the replacement.
	 * @param sessionId the session id
	 * @param messages the new messages, each with an id
	 * @return the stored messages
	 * @throws SessionInactiveException if the session is deactivated
	 */
	List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages);

	/**
	 * Read messages of a session. A query {@link MessageQuery#withoutMedia() without
	 * media} returns messages whose {@link StoredMessage#media() media} are empty and that
	 * are otherwise the same as with media; a store should then not read the media at all
	 * (nor send them over the network, nor copy their bytes), as such reads are the
	 * frequent ones. A store may stop short of the limit once the messages read pass the
	 * query's {@link MessageQuery#maxBytes() byte bound}, but never before the first.
	 * @param sessionId the session id
	 * @param query which messages, and whether with their media
	 * @return the messages in ascending sequence order
	 * @throws SessionNotFoundException if the session does not exist
	 */
	default List<StoredMessage> readMessages(String sessionId, MessageQuery query) {
		return readVersionedMessages(sessionId, query).messages();
	}

	/**
	 * Read messages of a session with the version of the session they were read at.
	 * @param sessionId the session id
	 * @param query which messages
	 * @return the messages in ascending sequence order and the session's version
	 * @throws SessionNotFoundException if the session does not exist
	 */
	VersionedMessages readVersionedMessages(String sessionId, MessageQuery query);

	/**
	 * Find one message of a session by its id.
	 * @param sessionId the session id
	 * @param messageId the message id
	 * @return the message, or empty if the session holds no message with that id
	 * @throws SessionNotFoundException if the session does not exist
	 */
	Optional<StoredMessage> findMessage(String sessionId, String messageId);

	/**
	 * Read the newest messages of a session, with their media, its message count and its
	 * newest system message, in one call: the first page of a context window.
	 * @param sessionId the session id
	 * @param limit the number of newest messages
	 * @return the recent messages, empty if the session does not exist
	 */
	default RecentMessages readRecent(String sessionId, int limit) {
		return readRecent(sessionId, limit, true);
	}

	/**
	 * Read the newest messages of a session, its message count and its newest system
	 * message, in one call: the first page of a context window. Without media, the
	 * messages (and the system message) have empty {@link StoredMessage#media() media}, as
	 * {@link #readMessages(String, MessageQuery)} without media.
	 * @param sessionId the session id
	 * @param limit the number of newest messages
	 * @param includeMedia whether messages come with their media
	 * @return the recent messages, empty if the session does not exist
	 */
	RecentMessages readRecent(String sessionId, int limit, boolean includeMedia);

	/**
	 * Read the newest messages of a session as {@link #readRecent(String, int, boolean)}
	 * does, and its latest summary with them when asked to: what a context window with
	 * summaries needs, which a store should read in the same round trip.
	 * @param sessionId the session id
	 * @param limit the number of newest messages
	 * @param includeMedia whether the messages come with their media
	 * @param withSummary whether to read the latest summary too
	 * @return the recent messages, empty if the session does not exist
	 */
	default RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		RecentMessages recent = readRecent(sessionId, limit, includeMedia);
		return (withSummary && recent.exists()) ? recent.withLatestSummary(findLatestSummary(sessionId).orElse(null))
				: recent;
	}

	/**
	 * Remove every message of a session, keeping the session.
	 * @param sessionId the session id
	 * @param owner if not {@code null}, the user who must own the session, checked
	 * atomically with the change
	 * @throws SessionNotFoundException if the session does not exist
	 */
	void clearMessages(String sessionId, @Nullable String owner);

	/**
	 * List a user's sessions, newest activity first.
	 * @param userId the user
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 */
	PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size);

	/**
	 * List the ids of all sessions, newest activity first, for Spring AI's
	 * {@code ChatMemoryRepository#findConversationIds()}.
	 * @param limit the maximum number of ids
	 * @return the ids
	 */
	List<String> findSessionIds(int limit);

	/**
	 * Write a session and its messages exactly as given, with their ids, sequences and
	 * timestamps, atomically: the import and migration path.
	 * @param session the session; its message count is ignored
	 * @param messages the messages in ascending sequence order, sequences positive and
	 * unique
	 * @param replaceExisting whether to replace a session with the same id
	 * @param owner if not {@code null}, the user who must own a session that is
	 * replaced, checked atomically with the write
	 * @return the session as stored
	 * @throws SessionAlreadyExistsException if the session exists and
	 * {@code replaceExisting} is {@code false}
	 * @throws SessionNotFoundException if a session to replace belongs to another user
	 * than {@code owner}
	 */
	default ChatSession importSession(ChatSession session, List<StoredMessage> messages, boolean replaceExisting,
			@Nullable String owner) {
		return importSession(session, messages, replaceExisting, owner, null);
	}

	/**
	 * Write a session and its messages exactly as given, as
	 * {@link #importSession(ChatSession, List, boolean, String)} does, replacing an
	 * existing session only if it is at an expected version, decided in the same atomic
	 * write. The written session's version is past the replaced one's (1 for a new one).
	 * @param session the session; its message count and version are ignored
	 * @param messages the messages in ascending sequence order, sequences positive and
	 * unique
	 * @param replaceExisting whether to replace a session with the same id
	 * @param owner if not {@code null}, the user who must own a session that is replaced
	 * @param expectedVersion if not {@code null}, the version the replaced session must
	 * be at: the session must exist then
	 * @return the session as stored, with its version
	 * @throws SessionAlreadyExistsException if the session exists and
	 * {@code replaceExisting} is {@code false}
	 * @throws SessionNotFoundException if a session to replace belongs to another user
	 * than {@code owner}, or an expected version is given and the session does not exist
	 * @throws SessionVersionConflictException if the session is at another version than
	 * expected
	 */
	default ChatSession importSession(ChatSession session, List<StoredMessage> messages, boolean replaceExisting,
			@Nullable String owner, @Nullable Long expectedVersion) {
		return importSession(session, messages, List.of(), replaceExisting, owner, expectedVersion);
	}

	/**
	 * Record that a session was branched off this one (by a fork or an edit), in the
	 * session's own storage, so that it is listed by {@link #findBranches} and removed
	 * with the session.
	 * @param sessionId the session branched from
	 * @param branchId the new session
	 * @param createdAt when the branch was made, which orders the listing
	 * @return {@code true} if recorded, {@code false} if the session does not exist
	 */
	boolean addBranch(String sessionId, String branchId, Instant createdAt);

	/**
	 * Forget a branch of a session, as when the branch is deleted.
	 * @param sessionId the session branched from
	 * @param branchId the branch
	 */
	void removeBranch(String sessionId, String branchId);

	/**
	 * List the sessions branched off a session that still exist, newest first. Entries of
	 * branches that are gone (deleted, expired, removed by retention) are left out and
	 * forgotten.
	 * @param sessionId the session branched from
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 * @throws SessionNotFoundException if the session does not exist
	 */
	PagedResult<ChatSession> findBranches(String sessionId, int page, int size);


	/**
	 * List the ids of sessions whose last activity is before a cutoff, oldest first.
	 * @param cutoff the cutoff
	 * @param limit the maximum number of ids
	 * @return the ids
	 */
	List<String> findSessionIdsInactiveSince(Instant cutoff, int limit);

	/**
	 * Delete a session only if it has had no activity since a cutoff, deciding and
	 * deleting in one atomic step, so that a message appended meanwhile is never lost.
	 * @param id the session id
	 * @param cutoff the cutoff
	 * @return {@code true} if the session was deleted
	 */
	boolean deleteSessionIfInactiveSince(String id, Instant cutoff);

	/**
	 * Read the statistics, never by scanning messages: from the sessions themselves, so
	 * they cannot drift from what is stored.
	 * @return the statistics
	 */
	ChatMemoryStatistics statistics();

	/**
	 * Bring derived data, such as indexes, back in line with the sessions themselves, as
	 * after a crash between a session's write and its index update. A maintenance
	 * operation that may look at every session; retention runs it before each cleanup.
	 * Stores without derived data have nothing to do.
	 * @return how many sessions were looked at
	 */
	default long repairIndexes() {
		return 0;
	}

	/**
	 * Remember what a retention cleanup did, for {@link #statistics()}.
	 * @param run the run
	 */
	void recordRetentionRun(RetentionRun run);

	/**
	 * Find the newest summary of a session.
	 * @param sessionId the session id
	 * @return the newest summary, or empty if the session has none or does not exist
	 */
	default Optional<StoredSummary> findLatestSummary(String sessionId) {
		return Optional.empty();
	}

	/**
	 * List the summaries of a session, newest first. A store keeps a bounded number of
	 * them per session, dropping the oldest, each of which the newer ones extend.
	 * @param sessionId the session id
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 * @throws SessionNotFoundException if the session does not exist
	 */
	default PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		if (findSession(sessionId).isEmpty()) {
			throw new SessionNotFoundException(sessionId);
		}
		return new PagedResult<>(List.of(), page, size, 0);
	}

	/**
	 * Store a summary as the session's newest, only if, decided in the same atomic step,
	 * the session is still the one the summary was made of (created at
	 * {@code sessionCreatedAt}: not deleted and created again under the same id), the
	 * summary it extends is still the newest and the message at its {@code toSequence} is
	 * still stored under its {@code toMessageId}: a summary made from a state that has
	 * moved on is refused and never claims to cover a message it did not see. Messages
	 * appended meanwhile do not refuse it.
	 * @param summary the summary
	 * @param sessionCreatedAt the creation time of the session as read before the
	 * summarized messages
	 * @return what happened
	 * @throws UnsupportedOperationException if the store keeps no summaries
	 */
	default SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt) {
		return saveSummary(summary, sessionCreatedAt, Long.MAX_VALUE);
	}

	/**
	 * Store a summary as {@link #saveSummary(StoredSummary, Instant)} does, refusing it
	 * also when an import rewrote the session's history after the version the summary's
	 * run read: an import may keep message ids and sequences while it changes what they
	 * say.
	 * @param summary the summary
	 * @param sessionCreatedAt the creation time of the session as read before the
	 * summarized messages
	 * @param sessionVersion the session's version as read before the summarized messages
	 * @return what happened
	 * @throws UnsupportedOperationException if the store keeps no summaries
	 */
	default SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		throw new UnsupportedOperationException(type() + " chat memory store keeps no summaries");
	}

	/**
	 * Write a session, its messages and its summaries exactly as given, as
	 * {@link #importSession(ChatSession, List, boolean, String)} does; a replaced
	 * session's summaries are replaced too.
	 * @param session the session; its message count is ignored
	 * @param messages the messages in ascending sequence order
	 * @param summaries the summaries, oldest first
	 * @param replaceExisting whether to replace a session with the same id
	 * @param owner if not {@code null}, the user who must own a session that is replaced
	 * @return the session as stored
	 */
	default ChatSession importSession(ChatSession session, List<StoredMessage> messages,
			List<StoredSummary> summaries, boolean replaceExisting, @Nullable String owner) {
		return importSession(session, messages, summaries, replaceExisting, owner, null);
	}

	/**
	 * Write a session, its messages and its summaries exactly as given, atomically for
	 * the session and its messages, replacing an existing session only if asked to, only
	 * if it is the owner's and only if it is at an expected version, all decided in the
	 * same atomic write. A replaced session's summaries are replaced too; its branches
	 * stay listed. The written session's version is past the replaced one's (1 for a new
	 * one).
	 * @param session the session; its message count and version are ignored
	 * @param messages the messages in ascending sequence order, sequences positive and
	 * unique
	 * @param summaries the summaries, oldest first
	 * @param replaceExisting whether to replace a session with the same id
	 * @param owner if not {@code null}, the user who must own a session that is replaced
	 * @param expectedVersion if not {@code null}, the version the replaced session must
	 * be at: the session must exist then
	 * @return the session as stored, with its version
	 * @throws SessionAlreadyExistsException if the session exists and
	 * {@code replaceExisting} is {@code false}
	 * @throws SessionNotFoundException if a session to replace belongs to another user
	 * than {@code owner}, or does not exist while a version is expected
	 * @throws SessionVersionConflictException if the session is at another version than
	 * expected
	 */
	ChatSession importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion);

	/**
	 * Start queueing recall tasks: from this call on, every write that changes what a
	 * session's recall vectors must hold queues a {@link RecallTask} for the session in the
	 * same atomic step as the write. An append of new messages queues (or extends) a task
	 * from the first new sequence; a replace, clear, import, delete or retention delete
	 * makes the session's task a rebuild. A retry that stores nothing queues nothing. Off
	 * until called, so that applications without recall pay nothing; called once at
	 * startup, before the store serves requests.
	 * @throws UnsupportedOperationException if the store keeps no recall queue
	 */
	default void enableRecallTasks() {
		throw new UnsupportedOperationException(type() + " chat memory store keeps no recall queue");
	}

	/**
	 * Whether {@link #enableRecallTasks()} was called.
	 * @return whether writes queue recall tasks
	 */
	default boolean isRecallTasksEnabled() {
		return false;
	}

	/**
	 * Read the oldest queued recall tasks, by when each session's task was first queued,
	 * without removing them.
	 * @param limit the most tasks to read
	 * @return the tasks, at most one per session
	 */
	default List<RecallTask> findRecallTasks(int limit) {
		return List.of();
	}

	/**
	 * Record an indexer's progress on a task, decided in one atomic step with what was
	 * merged into the task since it was read:
	 * <ul>
	 * <li>no task for the session: nothing changes;</li>
	 * <li>same stamp and {@code finished}: the task is removed;</li>
	 * <li>same stamp, not finished: the task stays, now not a rebuild (the vectors it
	 * had to remove are removed) and starting at {@code indexedThroughSequence + 1};</li>
	 * <li>another stamp (a write was merged since): a rebuild stays as it is, any other
	 * task now starts at the later of its start and {@code indexedThroughSequence + 1}.</li>
	 * </ul>
	 * @param task the task as read by {@link #findRecallTasks(int)}
	 * @param indexedThroughSequence the highest sequence up to which every message of the
	 * session now has its vectors (0 if none)
	 * @param finished whether the indexer brought the session's vectors fully in line
	 * with what it read, as opposed to stopping at a bound
	 * @return whether the task was removed
	 */
	default boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		return true;
	}

	/**
	 * Count the queued recall tasks, for metrics and health.
	 * @return how many sessions wait for indexing
	 */
	default long countRecallTasks() {
		return 0;
	}

	/**
	 * Bring the order of the recall queue back in line with its tasks, for a store that
	 * keeps the two apart (Redis, across hash slots): a crash between a write and its queue
	 * entry leaves a task the queue does not list. The indexer calls it on its first pass,
	 * off the startup path, and again until it succeeds. Stores that write both in one
	 * atomic step have nothing to do.
	 * @return how many tasks were looked at
	 */
	default long repairRecallTasks() {
		return 0;
	}

	/**
	 * Queue a rebuild of a session's vectors, whether or not the session exists: the
	 * vectors of a session that is gone are removed.
	 * @param sessionId the session id
	 */
	default void queueRecallRebuild(String sessionId) {
		throw new UnsupportedOperationException(type() + " chat memory store keeps no recall queue");
	}

	/**
	 * Queue a rebuild of every session's vectors, in batches so that memory stays bounded
	 * whatever the number of sessions.
	 * @return how many sessions were queued
	 */
	default long queueRecallRebuildOfAllSessions() {
		throw new UnsupportedOperationException(type() + " chat memory store keeps no recall queue");
	}

	/**
	 * What became of a summary given to {@link #saveSummary(StoredSummary, Instant)}.
	 */
	enum SummaryWrite {

		/** Stored as the session's newest summary. */
		STORED,

		/** Refused: the summary it extends is no longer the newest. */
		PREVIOUS_CHANGED,

		/** Refused: the messages it covers are no longer stored as they were. */
		MESSAGES_CHANGED,

		/**
		 * Refused: the session does not exist, or it is another session created under the
		 * same id since.
		 */
		SESSION_NOT_FOUND

	}

	/**
	 * Changes to a session; {@code null} fields stay as they are.
	 *
	 * @param title the new title
	 * @param active the new active flag
	 * @param expectedVersion if not {@code null}, the version the session must be at,
	 * checked atomically with the change
	 */
	record SessionUpdate(@Nullable String title, @Nullable Boolean active, @Nullable Long expectedVersion) {

		/**
		 * Changes to a session, whatever its version.
		 * @param title the new title
		 * @param active the new active flag
		 */
		public SessionUpdate(@Nullable String title, @Nullable Boolean active) {
			this(title, active, null);
		}

	}

	/**
	 * The newest messages of a session, with what a context window needs besides.
	 *
	 * @param exists whether the session exists
	 * @param messageCount how many messages the session holds
	 * @param latestSystemMessage the newest system message of the session, which may
	 * also be among {@code messages}
	 * @param messages the newest messages in ascending sequence order
	 * @param latestSummary the session's latest summary, when asked for and present
	 */
	record RecentMessages(boolean exists, long messageCount, @Nullable StoredMessage latestSystemMessage,
			List<StoredMessage> messages, @Nullable StoredSummary latestSummary) {

		public RecentMessages {
			messages = List.copyOf(messages);
		}

		/**
		 * Create recent messages without a summary.
		 * @param exists whether the session exists
		 * @param messageCount how many messages the session holds
		 * @param latestSystemMessage the newest system message of the session
		 * @param messages the newest messages in ascending sequence order
		 */
		public RecentMessages(boolean exists, long messageCount, @Nullable StoredMessage latestSystemMessage,
				List<StoredMessage> messages) {
			this(exists, messageCount, latestSystemMessage, messages, null);
		}

		/**
		 * Return these recent messages with a summary.
		 * @param summary the session's latest summary, if any
		 * @return the copy
		 */
		public RecentMessages withLatestSummary(@Nullable StoredSummary summary) {
			return new RecentMessages(this.exists, this.messageCount, this.latestSystemMessage, this.messages, summary);
		}

	}

}
