package io.github.chatmemory.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
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
	 * @param snapshot the session and its messages
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
		return new SessionSnapshot(normalized, prepared);
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
