package io.github.chatmemory.transfer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import org.jspecify.annotations.Nullable;

/**
 * Builds the snapshot of a new branch of a session: a fork (the messages up to and
 * including one) or an edit (the messages before one, then that one with new content),
 * each with the summaries of the messages it copies. The messages come from one version
 * of the session's history, bounded by what an import accepts. Internal to chat memory: {@link io.github.chatmemory.ChatMemoryManager#forkSession}
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
	 * they are (ids, sequences, contents, metadata, tool data, media, creation times),
	 * and the summaries that cover none after it.
	 * @param source the session forked, already checked to be visible
	 * @param at the last message to copy
	 * @param title the new session's title
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the snapshot of the new session, under a new id
	 */
	public SessionSnapshot fork(ChatSession source, StoredMessage at, String title, long maxDocumentBytes) {
		Copy copy = readThrough(source.id(), at, false, maxDocumentBytes);
		return snapshot(source, at, "fork", title, copy.messages(), copy.summaries());
	}

	/**
	 * The snapshot of an edit: the source's messages before {@code edited}, then a new
	 * message with the edited one's role, metadata, answer link and media, a new id, the
	 * edited one's sequence and the given content; and the summaries of the messages
	 * before it.
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
					+ edited.id() + "' is " + withArticle(edited.role()) + " message");
		}
		// read through the edited message, so that the read shows it still in its place
		Copy copy = readThrough(source.id(), edited, true, maxDocumentBytes);
		List<StoredMessage> messages = new ArrayList<>(copy.messages());
		messages.remove(messages.size() - 1);
		messages.add(new StoredMessage(UUID.randomUUID().toString(), source.id(), edited.sequence(), edited.role(),
				content, edited.metadata(), edited.responseTo(), edited.toolCalls(), edited.toolResponses(), now(),
				edited.media()));
		return snapshot(source, edited, "edit", title, messages, copy.summaries());
	}

	/**
	 * Read the messages up to and including a message from one version of the session:
	 * a read of one reply is one atomic step; a longer one is read again when a write came
	 * between two of its replies; and the read must end with the message where it was
	 * found. The summaries are read after the messages, and the session must still be at
	 * the messages' version after them (saving a summary does not move it): so a clear or
	 * a replacement meanwhile never mixes two states. An append after the point is read
	 * again too, as a write in between cannot be told from a replacement.
	 * @param excludePoint whether the summaries must cover only messages before the point
	 */
	private Copy readThrough(String sessionId, StoredMessage point, boolean excludePoint, long maxDocumentBytes) {
		StoredMessage current = point;
		for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			VersionedMessages read = readOnce(sessionId, current, maxDocumentBytes);
			List<StoredMessage> messages = (read != null) ? read.messages() : List.of();
			List<StoredSummary> summaries = (read != null) ? SessionExport.summariesOf(this.store, sessionId,
					excludePoint ? messages.subList(0, messages.size() - 1) : messages) : null;
			if (summaries != null && stillAt(sessionId, current, read.version())) {
				checkSize(point, messages, summaries, maxDocumentBytes);
				return new Copy(messages, summaries);
			}
			current = this.store.findMessage(sessionId, point.id())
				.orElseThrow(() -> new MessageNotFoundException(sessionId, point.id()));
		}
		throw new SessionChangedException(sessionId, "Session '" + sessionId + "' changed " + MAX_ATTEMPTS
				+ " times while its messages were read for a branch; try again");
	}

	private boolean stillAt(String sessionId, StoredMessage point, @Nullable Long version) {
		// the smallest read that answers with the version: at most one message past the point
		return version != null && version.equals(
				this.store.readVersionedMessages(sessionId, MessageQuery.after(point.sequence(), 1)).version());
	}

	private @Nullable VersionedMessages readOnce(String sessionId, StoredMessage point, long maxDocumentBytes) {
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
		return new VersionedMessages(messages, version);
	}

	private static void checkSize(StoredMessage point, List<StoredMessage> messages, List<StoredSummary> summaries,
			long maxDocumentBytes) {
		long characters = 0;
		for (StoredMessage message : messages) {
			characters += SessionExport.textLength(message);
		}
		for (StoredSummary summary : summaries) {
			characters += summary.text().length();
		}
		if (characters > maxDocumentBytes) {
			throw new ChatMemoryValidationException("messageId", "a branch at '" + point.id() + "' would be larger than "
					+ maxDocumentBytes + " bytes, more than an import accepts (chat-memory.transfer.max-import-size)");
		}
	}

	/** A role as a sentence names it: "an assistant", "a tool". */
	private static String withArticle(MessageRole role) {
		String name = role.name().toLowerCase(Locale.ROOT);
		return (name.startsWith("a") ? "an " : "a ") + name;
	}

	private SessionSnapshot snapshot(ChatSession source, StoredMessage point, String kind, String title,
			List<StoredMessage> messages, List<StoredSummary> summaries) {
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
		List<StoredSummary> copied = summaries.stream()
			.map((summary) -> new StoredSummary(summary.id(), id, summary.text(), summary.fromSequence(),
					summary.toSequence(), summary.toMessageId(), summary.extendsId(), summary.createdAt(),
					summary.model(), summary.tokens(), summary.coveredTokens()))
			.toList();
		return new SessionSnapshot(session, moved, copied);
	}

	/**
	 * The messages and summaries a branch copies from one state of its source.
	 */
	private record Copy(List<StoredMessage> messages, List<StoredSummary> summaries) {
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
