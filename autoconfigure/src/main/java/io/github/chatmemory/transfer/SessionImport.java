package io.github.chatmemory.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.support.InputValidator;

/**
 * Checks an imported session snapshot and prepares it for the store. Internal to chat
 * memory: {@link io.github.chatmemory.ChatMemoryManager#importSession} is the API.
 */
public final class SessionImport {

	/**
	 * The largest sequence an import may bring: stores count sequences on from it, and
	 * Redis's Lua numbers stay exact and print as integers well below this.
	 */
	private static final long MAX_IMPORTED_SEQUENCE = 999_999_999_999L;

	/**
	 * How far in the future an imported time may be: clocks of the instance that wrote
	 * the export and of this one may differ by this much.
	 */
	static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

	private final InputValidator validator;

	private final ValidationRules rules;

	private final Clock clock;

	/**
	 * Create an import check.
	 * @param validator the validator of the manager
	 * @param rules the limits on input
	 * @param clock the clock that bounds imported times
	 */
	public SessionImport(InputValidator validator, ValidationRules rules, Clock clock) {
		this.validator = validator;
		this.rules = rules;
		this.clock = clock;
	}

	/**
	 * Check a snapshot as a whole, before anything is written, and return it as the store
	 * takes it: metadata normalized and the message count that of its messages.
	 * @param snapshot the session, its messages and its summaries
	 * @return the prepared snapshot
	 * @throws ChatMemoryValidationException naming the first problem
	 */
	public SessionSnapshot prepare(SessionSnapshot snapshot) {
		ChatSession session = snapshot.session();
		this.validator.id("session.id", session.id());
		if (session.userId() != null) {
			this.validator.id("session.userId", session.userId());
		}
		this.validator.title("session.title", session.title());
		Map<String, Object> metadata = this.validator.metadata("session.metadata", session.metadata());
		Instant latest = this.clock.instant().plus(MAX_CLOCK_SKEW);
		timestamp("session.createdAt", session.createdAt(), latest);
		timestamp("session.updatedAt", session.updatedAt(), latest);
		if (session.updatedAt().isBefore(session.createdAt())) {
			throw new ChatMemoryValidationException("session.updatedAt", "must not be before session.createdAt ("
					+ session.createdAt() + ") but was " + session.updatedAt());
		}
		List<StoredMessage> messages = snapshot.messages();
		if (messages.size() > this.rules.maxImportMessages()) {
			throw new ChatMemoryValidationException("messages", "at most " + this.rules.maxImportMessages()
					+ " messages can be imported but got " + messages.size());
		}
		List<StoredMessage> prepared = new ArrayList<>(messages.size());
		Set<String> ids = new HashSet<>();
		long previousSequence = 0;
		for (int i = 0; i < messages.size(); i++) {
			StoredMessage message = messages.get(i);
			String field = "messages[" + i + "]";
			this.validator.id(field + ".id", message.id());
			if (!ids.add(message.id())) {
				throw new ChatMemoryValidationException(field + ".id", "must be unique in the session but '" + message.id()
						+ "' appears twice");
			}
			if (message.sequence() <= previousSequence) {
				throw new ChatMemoryValidationException(field + ".sequence", "must be positive and greater than the one "
						+ "before (" + previousSequence + ") but was " + message.sequence());
			}
			if (message.sequence() > MAX_IMPORTED_SEQUENCE) {
				throw new ChatMemoryValidationException(field + ".sequence", "must be at most " + MAX_IMPORTED_SEQUENCE
						+ " but was " + message.sequence());
			}
			timestamp(field + ".createdAt", message.createdAt(), latest);
			if (message.createdAt().isAfter(session.updatedAt())) {
				throw new ChatMemoryValidationException(field + ".createdAt", "must not be after session.updatedAt ("
						+ session.updatedAt() + ") but was " + message.createdAt());
			}
			previousSequence = message.sequence();
			if (message.responseTo() != null) {
				this.validator.id(field + ".responseTo", message.responseTo());
			}
			this.validator.content(field + ".content", message.content());
			this.validator.toolData(field, message.toolCalls(), message.toolResponses());
			this.validator.media(field, message.role(), message.media());
			prepared.add(new StoredMessage(message.id(), session.id(), message.sequence(), message.role(),
					message.content(), this.validator.messageMetadata(field + ".metadata", message.role(), message.metadata()),
					message.responseTo(), message.toolCalls(), message.toolResponses(), message.createdAt(),
					message.media()));
		}
		ChatSession normalized = new ChatSession(session.id(), session.userId(), session.title(), metadata,
				session.active(), session.createdAt(), session.updatedAt(), prepared.size());
		return new SessionSnapshot(normalized, prepared, summaries(session.id(), prepared, snapshot.summaries(), latest));
	}

	/**
	 * Check the summaries against the messages they cover: each one's last covered
	 * message is imported under the id the summary saw, as a store would have checked
	 * when it was saved, and each one that extends another extends an earlier summary of
	 * the snapshot. The first may extend one that is not there at all: a store keeps the
	 * newest {@value StoredSummary#MAX_PER_SESSION} and drops older ones.
	 */
	private List<StoredSummary> summaries(String sessionId, List<StoredMessage> messages, List<StoredSummary> summaries,
			Instant latest) {
		if (summaries.size() > StoredSummary.MAX_PER_SESSION) {
			throw new ChatMemoryValidationException("summaries", "at most " + StoredSummary.MAX_PER_SESSION
					+ " summaries can be imported but got " + summaries.size());
		}
		Map<Long, String> messageIds = new HashMap<>();
		for (StoredMessage message : messages) {
			messageIds.put(message.sequence(), message.id());
		}
		// a summary may cover only messages trimmed away (max-history): it stands in for them
		long firstSequence = messages.isEmpty() ? 1 : messages.get(0).sequence();
		Set<String> allIds = new HashSet<>();
		summaries.forEach((summary) -> allIds.add(summary.id()));
		List<StoredSummary> prepared = new ArrayList<>(summaries.size());
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < summaries.size(); i++) {
			StoredSummary summary = summaries.get(i);
			String field = "summaries[" + i + "]";
			this.validator.id(field + ".id", summary.id());
			if (ids.contains(summary.id())) {
				throw new ChatMemoryValidationException(field + ".id", "must be unique in the session but '"
						+ summary.id() + "' appears twice");
			}
			if (summary.text().isBlank()) {
				throw new ChatMemoryValidationException(field + ".text", "must not be blank");
			}
			this.validator.content(field + ".text", summary.text());
			String covered = messageIds.get(summary.toSequence());
			boolean trimmed = covered == null && summary.toSequence() < firstSequence;
			if (covered == null && !trimmed) {
				throw new ChatMemoryValidationException(field + ".toSequence", "must be the sequence of an imported "
						+ "message, or come before the first one, but no message has sequence "
						+ summary.toSequence());
			}
			this.validator.id(field + ".toMessageId", summary.toMessageId());
			if (!trimmed && !covered.equals(summary.toMessageId())) {
				throw new ChatMemoryValidationException(field + ".toMessageId", "must be the id of the message at the "
						+ "last covered sequence (" + summary.toSequence() + "), '" + covered + "', but was '"
						+ summary.toMessageId() + "'");
			}
			if (summary.extendsId() != null) {
				this.validator.id(field + ".extends", summary.extendsId());
				boolean earlier = ids.contains(summary.extendsId());
				boolean dropped = i == 0 && !allIds.contains(summary.extendsId());
				if (!earlier && !dropped) {
					throw new ChatMemoryValidationException(field + ".extends", "must name an earlier summary of "
							+ "the session but '" + summary.extendsId() + "' is none");
				}
			}
			timestamp(field + ".createdAt", summary.createdAt(), latest);
			if (summary.model() != null) {
				this.validator.title(field + ".model", summary.model());
			}
			if (summary.tokens() < 0) {
				throw new ChatMemoryValidationException(field + ".tokens", "must not be negative but was "
						+ summary.tokens());
			}
			if (summary.coveredTokens() < 0) {
				throw new ChatMemoryValidationException(field + ".coveredTokens", "must not be negative but was "
						+ summary.coveredTokens());
			}
			ids.add(summary.id());
			prepared.add(new StoredSummary(summary.id(), sessionId, summary.text(), summary.fromSequence(),
					summary.toSequence(), summary.toMessageId(), summary.extendsId(), summary.createdAt(),
					summary.model(), summary.tokens(), summary.coveredTokens()));
		}
		return prepared;
	}

	/**
	 * Check an imported time: stores keep epoch milliseconds, and a time in the future
	 * would keep a session first in every listing and out of every cleanup.
	 */
	private static void timestamp(String field, Instant value, Instant latest) {
		if (value.isBefore(Instant.EPOCH)) {
			throw new ChatMemoryValidationException(field, "must not be before " + Instant.EPOCH + " but was " + value);
		}
		if (value.isAfter(latest)) {
			throw new ChatMemoryValidationException(field, "must not be in the future (allowing " + MAX_CLOCK_SKEW.toMinutes()
					+ " minutes of clock skew, so at most " + latest + ") but was " + value);
		}
	}

}
