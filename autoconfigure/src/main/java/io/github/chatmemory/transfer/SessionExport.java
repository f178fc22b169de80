package io.github.chatmemory.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.chatmemory.ChatMemoryException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.ExportTooLargeException;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;
import org.jspecify.annotations.Nullable;

/**
 * Reads a session with its messages and summaries as a snapshot that imports back. Internal to chat
 * memory: {@link io.github.chatmemory.ChatMemoryManager#exportSession} is the API.
 */
public final class SessionExport {

	private static final int PAGE_SIZE = 1000;

	/**
	 * How often an export reads again when a concurrent import replaced the session
	 * under it.
	 */
	private static final int MAX_ATTEMPTS = 3;

	private final ChatMemoryStore store;

	private final ValidationRules rules;

	/**
	 * Create an export reader.
	 * @param store the store to read, behind the failure boundary
	 * @param rules the limits an import applies, which an export keeps to
	 */
	public SessionExport(ChatMemoryStore store, ValidationRules rules) {
		this.store = store;
		this.rules = rules;
	}

	/**
	 * Read a session with all of its messages up to the newest one when the export
	 * starts, and the summaries of those messages, refusing as soon as their text alone
	 * passes a document size.
	 * @param sessionId the session id, already validated
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the snapshot
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the session could not be imported back
	 */
	public SessionSnapshot read(String sessionId, long maxDocumentBytes) {
		for (int attempt = 1;; attempt++) {
			SessionSnapshot snapshot = readOnce(sessionId, maxDocumentBytes);
			if (snapshot != null) {
				return snapshot;
			}
			if (attempt == MAX_ATTEMPTS) {
				throw new ChatMemoryException("Session '" + sessionId + "' was replaced " + MAX_ATTEMPTS
						+ " times while it was exported; try again");
			}
		}
	}

	/**
	 * Read a snapshot, or {@code null} if the session was replaced while it was read so
	 * that the pages do not belong together.
	 */
	private @Nullable SessionSnapshot readOnce(String sessionId, long maxDocumentBytes) {
		// the newest message and the count come from one atomic read: they fix the bound
		RecentMessages newest = this.store.readRecent(sessionId, 1, false);
		if (!newest.exists()) {
			throw new SessionNotFoundException(sessionId);
		}
		int limit = this.rules.maxImportMessages();
		if (newest.messageCount() > limit) {
			throw new ExportTooLargeException("Session '" + sessionId + "' holds " + newest.messageCount()
					+ " messages but an import accepts at most " + limit + " (chat-memory.validation.max-import-messages)");
		}
		long bound = newest.messages().isEmpty() ? 0 : newest.messages().get(newest.messages().size() - 1).sequence();
		ChatSession session = this.store.findSession(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
		List<StoredMessage> messages = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		// appends from instances with other clocks may be newer than the session says
		Instant updatedAt = session.updatedAt();
		// every character of text takes at least one byte of the document
		long characters = 0;
		long after = 0;
		while (after < bound) {
			// with media a page of messages can be far larger than a document may be: the
			// store stops a page once it passed what the document has left, so the export
			// holds little more than the limit before it refuses
			List<StoredMessage> page = this.store.readMessages(sessionId,
					MessageQuery.after(after, PAGE_SIZE).withMaxBytes(maxBytes(maxDocumentBytes - characters)));
			for (StoredMessage message : page) {
				if (message.sequence() > bound) {
					break;
				}
				if (!ids.add(message.id()) || messages.size() == limit) {
					return null;
				}
				characters += textLength(message);
				if (characters > maxDocumentBytes) {
					throw new ExportTooLargeException("Session '" + sessionId + "' exports to more than "
							+ maxDocumentBytes + " bytes but an import accepts at most " + maxDocumentBytes
							+ " (chat-memory.transfer.max-import-size)");
				}
				messages.add(message);
				if (message.createdAt().isAfter(updatedAt)) {
					updatedAt = message.createdAt();
				}
			}
			// a page stopped by its byte bound may be shorter than asked for
			if (page.isEmpty() || page.get(page.size() - 1).sequence() >= bound) {
				break;
			}
			after = page.get(page.size() - 1).sequence();
		}
		List<StoredSummary> summaries = summariesOf(this.store, sessionId, messages);
		if (summaries == null) {
			return null;
		}
		for (StoredSummary summary : summaries) {
			characters += summary.text().length();
		}
		if (characters > maxDocumentBytes) {
			throw new ExportTooLargeException("Session '" + sessionId + "' exports to more than " + maxDocumentBytes
					+ " bytes but an import accepts at most " + maxDocumentBytes
					+ " (chat-memory.transfer.max-import-size)");
		}
		ChatSession exported = new ChatSession(session.id(), session.userId(), session.title(), session.metadata(),
				session.active(), session.createdAt(), updatedAt, messages.size());
		return new SessionSnapshot(exported, messages, summaries);
	}

	/**
	 * The summaries of a session that belong with messages just read from it, oldest
	 * first, or {@code null} if the session was cleared or replaced since, so that a
	 * summary names a message the read did not see where it covers. Summaries are read
	 * after the messages and left out when they cover messages after the last one read
	 * (made meanwhile, or past a fork point) or only messages the store no longer keeps
	 * (its {@code max-history}), keeping a chain where each one extends an earlier one,
	 * as an import requires.
	 * @param store the store
	 * @param sessionId the session
	 * @param messages the messages read, in ascending sequence order
	 * @return the summaries, or {@code null} to read again
	 */
	static @Nullable List<StoredSummary> summariesOf(ChatMemoryStore store, String sessionId,
			List<StoredMessage> messages) {
		List<StoredSummary> newestFirst = store.findSummaries(sessionId, 0, StoredSummary.MAX_PER_SESSION).items();
		if (newestFirst.isEmpty()) {
			return List.of();
		}
		Map<Long, String> messageIds = new HashMap<>();
		messages.forEach((message) -> messageIds.put(message.sequence(), message.id()));
		long first = messages.isEmpty() ? Long.MAX_VALUE : messages.get(0).sequence();
		long last = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).sequence();
		List<StoredSummary> summaries = new ArrayList<>(newestFirst.size());
		Set<String> ids = new HashSet<>();
		for (int i = newestFirst.size() - 1; i >= 0; i--) {
			StoredSummary summary = newestFirst.get(i);
			if (summary.toSequence() > last) {
				continue;
			}
			String covered = messageIds.get(summary.toSequence());
			// a summary of messages trimmed away (max-history) stands in for them: it is kept
			boolean trimmed = covered == null && summary.toSequence() < first;
			if (!trimmed && !summary.toMessageId().equals(covered)) {
				return null;
			}
			if (!summaries.isEmpty() && summary.extendsId() != null && !ids.contains(summary.extendsId())) {
				continue;
			}
			summaries.add(summary);
			ids.add(summary.id());
		}
		return summaries;
	}

	/**
	 * The byte bound of a page: a little more than what the document has left, so that
	 * the page that passes the limit is read whole enough to be refused.
	 */
	static long maxBytes(long documentLeft) {
		return (documentLeft >= Long.MAX_VALUE / 2) ? 0 : Math.max(1, documentLeft + 1);
	}

	static long textLength(StoredMessage message) {
		long length = message.content().length();
		for (ToolCall call : message.toolCalls()) {
			length += call.arguments().length();
		}
		for (ToolResponse response : message.toolResponses()) {
			length += response.responseData().length();
		}
		for (MessageMedia media : message.media()) {
			// bytes are written as Base64: 4 characters for every 3 bytes
			length += (media.url() != null) ? media.size() : (media.size() + 2) / 3 * 4;
		}
		return length;
	}

}
