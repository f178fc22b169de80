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
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
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
	List<StoredMessage> append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner);

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
	 * Read messages of a session.
	 * @param sessionId the session id
	 * @param query which messages
	 * @return the messages in ascending sequence order
	 * @throws SessionNotFoundException if the session does not exist
	 */
	List<StoredMessage> readMessages(String sessionId, MessageQuery query);

	/**
	 * Read the newest messages of a session, its message count and its newest system
	 * message, in one call: the first page of a context window.
	 * @param sessionId the session id
	 * @param limit the number of newest messages
	 * @return the recent messages, empty if the session does not exist
	 */
	RecentMessages readRecent(String sessionId, int limit);

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
	ChatSession importSession(ChatSession session, List<StoredMessage> messages, boolean replaceExisting,
			@Nullable String owner);

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
	 * the summary it extends is still the newest and the message at its
	 * {@code toSequence} is still stored under its {@code toMessageId}: a summary made
	 * from a state that has moved on is refused and never claims to cover a message it
	 * did not see. Messages appended meanwhile do not refuse it.
	 * @param summary the summary
	 * @return what happened
	 * @throws UnsupportedOperationException if the store keeps no summaries
	 */
	default SummaryWrite saveSummary(StoredSummary summary) {
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
		if (!summaries.isEmpty()) {
			throw new UnsupportedOperationException(type() + " chat memory store keeps no summaries");
		}
		return importSession(session, messages, replaceExisting, owner);
	}

	/**
	 * What became of a summary given to {@link #saveSummary(StoredSummary)}.
	 */
	enum SummaryWrite {

		/** Stored as the session's newest summary. */
		STORED,

		/** Refused: the summary it extends is no longer the newest. */
		PREVIOUS_CHANGED,

		/** Refused: the messages it covers are no longer stored as they were. */
		MESSAGES_CHANGED,

		/** Refused: the session does not exist. */
		SESSION_NOT_FOUND

	}

	/**
	 * Changes to a session; {@code null} fields stay as they are.
	 *
	 * @param title the new title
	 * @param active the new active flag
	 */
	record SessionUpdate(@Nullable String title, @Nullable Boolean active) {
	}

	/**
	 * The newest messages of a session, with what a context window needs besides.
	 *
	 * @param exists whether the session exists
	 * @param messageCount how many messages the session holds
	 * @param latestSystemMessage the newest system message of the session, which may
	 * also be among {@code messages}
	 * @param messages the newest messages in ascending sequence order
	 */
	record RecentMessages(boolean exists, long messageCount, @Nullable StoredMessage latestSystemMessage,
			List<StoredMessage> messages) {

		public RecentMessages {
			messages = List.copyOf(messages);
		}

	}

}
