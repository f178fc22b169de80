package io.github.chatmemory.store;

/**
 * A session whose recall vectors must be brought in line with what the store holds,
 * queued by the store in the same atomic step as the write that changed the session. A
 * store keeps at most one task per session, merging later writes into it.
 *
 * @param sessionId the session
 * @param stamp changes with every write merged into the task, so that completing a task
 * that was read before a later write does not drop that write; never repeats for a
 * session, not even after its task is removed and a new one queued, so that a retried
 * completion never removes a later task
 * @param fromSequence for a task that is not a rebuild: the messages with this sequence
 * or a higher one need vectors
 * @param rebuild whether every vector of the session must be removed and the session's
 * current messages, if it still exists, indexed again: after a replace, clear, import,
 * delete or retention delete, or when asked for by a re-index
 */
public record RecallTask(String sessionId, long stamp, long fromSequence, boolean rebuild) {

}
