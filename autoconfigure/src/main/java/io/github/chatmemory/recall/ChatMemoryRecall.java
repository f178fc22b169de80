package io.github.chatmemory.recall;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Semantic recall over a user's conversations, behind
 * {@link io.github.chatmemory.ChatMemoryManager#recall(String, String, int)}; arguments
 * are already validated by the manager.
 */
public interface ChatMemoryRecall {

	/**
	 * Find the messages of a user's sessions most similar in meaning to a query.
	 * @param userId the user whose sessions are searched; never anyone else's
	 * @param query the query text
	 * @param limit the most messages to return
	 * @param excludedSessionIds sessions to leave out, such as the conversation the
	 * recall is made from
	 * @return the messages found
	 */
	RecallResult recall(String userId, String query, int limit, Set<String> excludedSessionIds);

	/**
	 * Rebuild the vectors of one user's sessions, or of every session: removes them and
	 * queues every session for indexing again, which runs off the calling thread.
	 * @param userId the user, or {@code null} for every session
	 * @return how many sessions were queued
	 */
	long reindex(@Nullable String userId);

}
