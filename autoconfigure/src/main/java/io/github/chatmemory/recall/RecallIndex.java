package io.github.chatmemory.recall;

import java.util.List;
import java.util.Set;

/**
 * Where the vectors of messages are kept and searched, always within one user's
 * messages.
 */
public interface RecallIndex {

	/**
	 * Add documents, replacing those with the same ids.
	 * @param documents the documents
	 */
	void add(List<RecallDocument> documents);

	/**
	 * Remove every vector of a session.
	 * @param sessionId the session
	 */
	void deleteSession(String sessionId);

	/**
	 * Remove every vector of a user's sessions.
	 * @param userId the user
	 */
	void deleteUser(String userId);

	/**
	 * Remove every vector this index holds for chat memory.
	 */
	void deleteAll();

	/**
	 * Find the messages of one user most similar in meaning to a query.
	 * @param userId the user whose vectors alone are searched
	 * @param query the query text
	 * @param topK the most matches to return
	 * @param excludedSessionIds sessions to leave out
	 * @return the matches, most similar first
	 */
	List<Match> search(String userId, String query, int topK, Set<String> excludedSessionIds);

	/**
	 * Describe the index for logs and health, such as the vector store's type and bean.
	 * @return the description
	 */
	String description();

	/**
	 * A vector found by a search, to be checked against the chat memory store before use.
	 *
	 * @param userId the owner the vector was stored for
	 * @param sessionId the session
	 * @param messageId the message
	 * @param score how similar, higher is closer
	 */
	record Match(String userId, String sessionId, String messageId, double score) {

	}

}
