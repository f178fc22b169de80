package io.github.chatmemory.transfer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageNotFoundException;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.SessionChangedException;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import org.jspecify.annotations.Nullable;

/**
 * Builds the snapshot of a new branch of a session: a fork (the messages up to and
 * including one) or an edit (the messages before one, then that one with new content).
 * The messages come from one version of the session's history, bounded by what an import
 * accepts. Internal to chat memory: {@link io.github.chatmemory.ChatMemoryManager#forkSession}
 * and {@link io.github.chatmemory.ChatMemoryManager#editMessage} are the API.
 */
public final class SessionBranching {

	/**
	 * The metadata key naming the session and message a branch was made from, as
	 * {@code {"session_id": ..., "message_id": ..., "kind": "fork" | "edit"}}.
	 */
	public static final String BRANCH_OF = "branch_of";

	private static final int PAGE_SIZE = 1000;

	/** How often the messages are read again when a write came between two pages. */
	private static final int MAX_ATTEMPTS = 3;

	private final ChatMemoryStore store;

	private final ValidationRules rules;

	private final Clock clock;

	/**
	 * Create a branch builder.
	 * @param store the store to read, behind the failure boundary
	 * @param rules the limits an import applies, which a branch keeps to
	 * @param clock the clock for the branch's creation time
	 */
	public SessionBranching(ChatMemoryStore store, ValidationRules rules, Clock clock) {
		this.store = store;
		this.rules = rules;
		this.clock = clock;
	}

	/**
	 * The snapshot of a fork: the source's messages up to and including {@code at}, as
	 * they are (ids, sequences, contents, metadata, tool data, media, creation times).
	 * @param source the session forked, already checked to be visible
	 * @param at the last message to copy
	 * @param title the new session's title
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the snapshot of the new session, under a new id
	 */
	public SessionSnapshot fork(ChatSession source, StoredMessage at, String title, long maxDocumentBytes) {
		List<StoredMessage> messages = readThrough(source.id(), at, maxDocumentBytes);
		return snapshot(source, at, "fork", title, messages);
	}

	/**
	 * The snapshot of an edit: the source's messages before {@code edited}, then a new
	 * message with the edited one's role, metadata, answer link and media, a new id, the
	 * edited one's sequence and the given content.
	 * @param source the session edited, already checked to be visible
	 * @param edited the message whose content changes; a user message
	 * @param content the new content, already validated
	 * @param title the new session's title
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the snapshot of the new session, under a new id
	 */
	public SessionSnapshot edit(ChatSession source, StoredMessage edited, String content, String title,
			long maxDocumentBytes) {
		if (edited.role() != MessageRole.USER) {
			throw new ChatMemoryValidationException("messageId", "must name a user message (an edit asks again) but '"
					+ edited.id() + "' is a " + edited.role() + " message");
		}
		List<StoredMessage> messages = readThrough(source.id(), edited, maxDocumentBytes);
		// read through the edited message, so that the read shows it still in its place
		messages.remove(messages.size() - 1);
		messages.add(new StoredMessage(UUID.randomUUID().toString(), source.id(), edited.sequence(), edited.role(),
				content, edited.metadata(), edited.responseTo(), edited.toolCalls(), edited.toolResponses(), now(),
				edited.media()));
		return snapshot(source, edited, "edit", title, messages);
	}

	/**
	 * Read the messages up to and including a message from one version of the session:
	 * a read of one reply is one atomic step; a longer one is read again when a write came
	 * between two of its replies; and the read must end with the message where it was
	 * found. So a clear or a replacement meanwhile never mixes two states; appends after
	 * the message do not matter.
	 */
	private List<StoredMessage> readThrough(String sessionId, StoredMessage point, long maxDocumentBytes) {
		StoredMessage current = point;
		for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			List<StoredMessage> messages = readOnce(sessionId, current, maxDocumentBytes);
			if (messages != null) {
				return messages;
			}
			current = this.store.findMessage(sessionId, point.id())
				.orElseThrow(() -> new MessageNotFoundException(sessionId, point.id()));
		}
		throw new SessionChangedException(sessionId, "Session '" + sessionId + "' changed " + MAX_ATTEMPTS
				+ " times while its messages were read for a branch; try again");
	}

	private @Nullable List<StoredMessage> readOnce(String sessionId, StoredMessage point, long maxDocumentBytes) {
		long lastSequence = point.sequence();
		List<StoredMessage> messages = new ArrayList<>();
		Long version = null;
		long characters = 0;
		long after = 0;
		while (after < lastSequence) {
			// a page stops early at what the branch has left, so large media never pile up past the limit
			VersionedMessages page = this.store.readVersionedMessages(sessionId,
					MessageQuery.after(after, PAGE_SIZE).withMaxBytes(SessionExport.maxBytes(maxDocumentBytes - characters)));
			if (page.version() == null || (version != null && !version.equals(page.version()))) {
				return null;
			}
			version = page.version();
			for (StoredMessage message : page.messages()) {
				if (message.sequence() > lastSequence) {
					break;
				}
				if (messages.size() == this.rules.maxImportMessages()) {
					throw new ChatMemoryValidationException("messageId", "a branch at '" + point.id()
							+ "' would hold more than " + this.rules.maxImportMessages()
							+ " messages (chat-memory.validation.max-import-messages)");
				}
				characters += SessionExport.textLength(message);
				if (characters > maxDocumentBytes) {
					throw new ChatMemoryValidationException("messageId", "a branch at '" + point.id()
							+ "' would be larger than " + maxDocumentBytes
							+ " bytes, more than an import accepts (chat-memory.transfer.max-import-size)");
				}
				messages.add(message);
			}
			if (page.messages().isEmpty()
					|| page.messages().get(page.messages().size() - 1).sequence() >= lastSequence) {
				break;
			}
			after = page.messages().get(page.messages().size() - 1).sequence();
		}
		if (messages.isEmpty() || !messages.get(messages.size() - 1).id().equals(point.id())) {
			// the fork point went (a clear or a replacement) between finding it and reading
			return null;
		}
		return messages;
	}

	private SessionSnapshot snapshot(ChatSession source, StoredMessage point, String kind, String title,
			List<StoredMessage> messages) {
		String id = UUID.randomUUID().toString();
		Instant createdAt = now();
		for (StoredMessage message : messages) {
			// messages from instances with other clocks may be newer than this one's now
			if (message.createdAt().isAfter(createdAt)) {
				createdAt = message.createdAt();
			}
		}
		Map<String, Object> metadata = new LinkedHashMap<>(source.metadata());
		Map<String, Object> branchOf = new LinkedHashMap<>();
		branchOf.put("session_id", source.id());
		branchOf.put("message_id", point.id());
		branchOf.put("kind", kind);
		metadata.put(BRANCH_OF, branchOf);
		List<StoredMessage> moved = new ArrayList<>(messages.size());
		for (StoredMessage message : messages) {
			moved.add(new StoredMessage(message.id(), id, message.sequence(), message.role(), message.content(),
					message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(),
					message.createdAt(), message.media()));
		}
		ChatSession session = new ChatSession(id, source.userId(), title, metadata, true, createdAt, createdAt,
				moved.size());
		return new SessionSnapshot(session, moved);
	}

	/**
	 * The session a branch was made from, as its metadata names it.
	 * @param branch the branch
	 * @return the source session id, or {@code null} if the session is no branch
	 */
	public static @Nullable String sourceOf(ChatSession branch) {
		if (branch.metadata().get(BRANCH_OF) instanceof Map<?, ?> branchOf
				&& branchOf.get("session_id") instanceof String sessionId) {
			return sessionId;
		}
		return null;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
