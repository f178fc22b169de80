package io.github.chatmemory.transfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.ExportTooLargeException;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.support.ConcurrencyLimit;
import io.github.chatmemory.support.StrictJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static io.github.chatmemory.support.InputValidator.required;

/**
 * Exports a session to its versioned JSON document and imports one back, losslessly:
 * session fields, message ids, sequences, roles, metadata, tool calls and responses, and
 * timestamps. An import checks the whole document before it writes anything, so a bad
 * document changes nothing. Exporting from one store and importing into another is the
 * migration path between stores.
 */
public class SessionTransfer {

	// strict reading: a document that Jackson would coerce (a float as a sequence, a number
	// as a timestamp or as text, a duplicate key) is refused rather than imported altered
	private static final JsonMapper MAPPER = StrictJson.configure(JsonMapper.builder())
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private static final Pattern CAMEL_CASE_HUMP = Pattern.compile("(?<=[a-z])([A-Z])");

	private final ChatMemoryManager manager;

	private final long maxDocumentBytes;

	private final Clock clock;

	private final ConcurrencyLimit concurrency;

	/**
	 * Create a transfer service.
	 * @param manager the manager to read from and write to
	 * @param maxDocumentBytes the largest document {@link #importJson} accepts, in bytes
	 * @param clock the clock for the export time
	 */
	public SessionTransfer(ChatMemoryManager manager, long maxDocumentBytes, Clock clock) {
		this(manager, maxDocumentBytes, clock, 2);
	}

	/**
	 * Create a transfer service.
	 * @param manager the manager to read and write sessions with
	 * @param maxDocumentBytes the largest document accepted
	 * @param clock the clock for the export time
	 * @param maxConcurrent how many imports and exports may run at once, each holding up
	 * to a document in memory
	 */
	public SessionTransfer(ChatMemoryManager manager, long maxDocumentBytes, Clock clock, int maxConcurrent) {
		this.manager = manager;
		this.maxDocumentBytes = maxDocumentBytes;
		this.clock = clock;
		this.concurrency = new ConcurrencyLimit("imports and exports", maxConcurrent);
	}

	/**
	 * Run a piece of transfer work, such as reading an import body, within the limit of
	 * imports and exports that run at once.
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 * @throws io.github.chatmemory.ChatMemoryUnavailableException if too many run already
	 */
	public <T> T withinLimit(Supplier<T> work) {
		return this.concurrency.run(work);
	}

	/**
	 * Export a session with all of its messages.
	 * @param sessionId the session id
	 * @return the document
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public SessionExportDocument export(String sessionId) {
		SessionSnapshot snapshot = this.manager.exportSession(sessionId, this.maxDocumentBytes);
		ChatSession session = snapshot.session();
		List<SessionExportDocument.Message> messages = snapshot.messages()
			.stream()
			.map((message) -> new SessionExportDocument.Message(message.id(), message.sequence(),
					message.role().name(), message.content(), message.metadata(), message.responseTo(),
					message.toolCalls(), message.toolResponses(), message.createdAt(), message.media()))
			.toList();
		List<SessionExportDocument.Summary> summaries = snapshot.summaries()
			.stream()
			.map((summary) -> new SessionExportDocument.Summary(summary.id(), summary.text(), summary.fromSequence(),
					summary.toSequence(), summary.toMessageId(), summary.extendsId(), summary.createdAt(),
					summary.model(), summary.tokens(), summary.coveredTokens()))
			.toList();
		boolean media = snapshot.messages().stream().anyMatch((message) -> !message.media().isEmpty());
		// the lowest version that holds the document, so that older readers read what they can keep whole
		int version = !summaries.isEmpty() ? SessionExportDocument.VERSION_WITH_SUMMARIES
				: media ? SessionExportDocument.VERSION_WITH_MEDIA : SessionExportDocument.VERSION;
		return new SessionExportDocument(SessionExportDocument.FORMAT, version, this.clock.instant(),
				new SessionExportDocument.Session(session.id(), session.userId(), session.title(), session.metadata(),
						session.active(), session.createdAt(), session.updatedAt()),
				messages, summaries);
	}

	/**
	 * Export a session as JSON text.
	 * @param sessionId the session id
	 * @return the JSON document
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the document could not be imported back because
	 * of its message count or size
	 */
	public String exportJson(String sessionId) {
		return new String(exportBytes(sessionId), StandardCharsets.UTF_8);
	}

	/**
	 * Export a session as UTF-8 JSON to a stream, which is left open. Every check is
	 * made before the first byte is written, so a failed export writes nothing.
	 * @param sessionId the session id
	 * @param out the stream to write to
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the document could not be imported back because
	 * of its message count or size
	 * @throws UncheckedIOException if writing to the stream fails
	 */
	public void exportTo(String sessionId, OutputStream out) {
		byte[] document = exportBytes(sessionId);
		try {
			out.write(document);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Export a session as UTF-8 JSON, written into memory bounded by the import limit:
	 * what an import would refuse is refused here, as soon as the limit is passed.
	 * @param sessionId the session id
	 * @return the document
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the document could not be imported back
	 */
	public byte[] exportBytes(String sessionId) {
		return withinLimit(() -> writeBytes(sessionId));
	}

	private byte[] writeBytes(String sessionId) {
		SessionExportDocument document = export(sessionId);
		LimitedBuffer buffer = new LimitedBuffer(this.maxDocumentBytes, sessionId);
		try {
			MAPPER.writeValue(buffer, document);
		}
		catch (JacksonException ex) {
			// the buffer's refusal comes back wrapped by the writer
			if (ex.getCause() instanceof ExportTooLargeException tooLarge) {
				throw tooLarge;
			}
			throw ex;
		}
		return buffer.toByteArray();
	}

	/**
	 * Write a document as JSON text.
	 * @param document the document
	 * @return the JSON text
	 */
	public static String toJson(SessionExportDocument document) {
		return MAPPER.writeValueAsString(document);
	}

	/**
	 * Read a document from JSON text, checking its size and shape.
	 * @param json the JSON text
	 * @param maxDocumentBytes the largest accepted size in UTF-8 bytes
	 * @return the document
	 * @throws IllegalArgumentException naming the problem if the text is too large or
	 * not a document of this format
	 */
	public static SessionExportDocument fromJson(String json, long maxDocumentBytes) {
		int bytes = json.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > maxDocumentBytes) {
			throw new ImportTooLargeException(
					"document: must be at most " + maxDocumentBytes + " bytes but has " + bytes);
		}
		return StrictJson.read(MAPPER, json, SessionExportDocument.class, "document");
	}

	/**
	 * Import a session from JSON text.
	 * @param json the JSON document
	 * @param options the id to import under and whether to replace
	 * @return the imported session
	 * @throws IllegalArgumentException naming the first problem of an invalid document
	 * @throws SessionAlreadyExistsException if the id is taken and replacing was not
	 * asked for
	 */
	public ChatSession importJson(String json, ImportOptions options) {
		return withinLimit(() -> importDocument(fromJson(json, this.maxDocumentBytes), options));
	}

	/**
	 * Import a session from a document.
	 * @param document the document
	 * @param options the id to import under and whether to replace
	 * @return the imported session
	 */
	public ChatSession importDocument(SessionExportDocument document, ImportOptions options) {
		return importDocument(document, options, null);
	}

	/**
	 * Import a session from a document on behalf of a user: a session that is replaced
	 * must be that user's, checked atomically with the write.
	 * @param document the document
	 * @param options the id to import under and whether to replace
	 * @param owner the user who must own a replaced session, or {@code null} for any
	 * @return the imported session
	 * @throws SessionNotFoundException if the session to replace is another user's
	 */
	public ChatSession importDocument(SessionExportDocument document, ImportOptions options, @Nullable String owner) {
		return importDocument(document, options, owner, null);
	}

	/**
	 * Import a session from a document on behalf of a user, replacing the session only if
	 * it is at an expected version, checked atomically with the write.
	 * @param document the document
	 * @param options the id to import under; replacing must be asked for when a version
	 * is expected
	 * @param owner the user who must own a replaced session, or {@code null} for any
	 * @param expectedVersion the version the replaced session must be at, or {@code null}
	 * for any
	 * @return the imported session
	 * @throws SessionNotFoundException if the session to replace is another user's, or a
	 * version is expected and there is none
	 * @throws io.github.chatmemory.SessionVersionConflictException if the session is at
	 * another version
	 */
	public ChatSession importDocument(SessionExportDocument document, ImportOptions options, @Nullable String owner,
			@Nullable Long expectedVersion) {
		SessionSnapshot snapshot = toSnapshot(document, options);
		try {
			return this.manager.importSession(snapshot, options.replaceExisting(), owner, expectedVersion);
		}
		catch (ChatMemoryValidationException ex) {
			String field = documentField(ex.getField());
			if (field.equals(ex.getField())) {
				throw ex;
			}
			throw new ChatMemoryValidationException(field, ex.getRule(), ex);
		}
	}

	/**
	 * Name a field as the document spells it: {@code messages[0].createdAt} is
	 * {@code messages[0].created_at}; metadata keys below it stay as they are.
	 */
	private static String documentField(String field) {
		int metadata = field.indexOf("metadata");
		String names = (metadata >= 0) ? field.substring(0, metadata) : field;
		String rest = (metadata >= 0) ? field.substring(metadata) : "";
		return CAMEL_CASE_HUMP.matcher(names).replaceAll("_$1").toLowerCase(Locale.ROOT) + rest;
	}

	private static SessionSnapshot toSnapshot(SessionExportDocument document, ImportOptions options) {
		if (!SessionExportDocument.FORMAT.equals(document.format())) {
			throw new ChatMemoryValidationException("format", "must be '" + SessionExportDocument.FORMAT + "' but was " + quoted(document.format()));
		}
		if (document.version() == null || document.version() < SessionExportDocument.VERSION
				|| document.version() > SessionExportDocument.VERSION_WITH_SUMMARIES) {
			throw new ChatMemoryValidationException("version", "must be " + SessionExportDocument.VERSION + ", "
					+ SessionExportDocument.VERSION_WITH_MEDIA + " or " + SessionExportDocument.VERSION_WITH_SUMMARIES
					+ " but was " + document.version());
		}
		SessionExportDocument.Session session = required("session", document.session());
		String sessionId = options.generateId() ? UUID.randomUUID().toString()
				: (options.sessionId() != null) ? options.sessionId() : required("session.id", session.id());
		List<SessionExportDocument.Message> messages = required("messages", document.messages());
		List<StoredMessage> stored = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			String field = "messages[" + i + "]";
			SessionExportDocument.Message message = required(field, messages.get(i));
			stored.add(new StoredMessage(required(field + ".id", message.id()), sessionId,
					required(field + ".sequence", message.sequence()), role(field + ".role", message.role()),
					required(field + ".content", message.content()), orEmpty(message.metadata()),
					message.responseTo(), elements(field + ".tool_calls", message.toolCalls()),
					elements(field + ".tool_responses", message.toolResponses()), required(field + ".created_at", message.createdAt()),
					media(field, document.version(), message.media())));
		}
		ChatSession chatSession = new ChatSession(sessionId, session.userId(),
				(session.title() != null) ? session.title() : "", orEmpty(session.metadata()),
				required("session.active", session.active()), required("session.created_at", session.createdAt()),
				required("session.updated_at", session.updatedAt()), stored.size());
		return new SessionSnapshot(chatSession, stored, summaries(sessionId, document.version(), document.summaries()));
	}

	private static List<StoredSummary> summaries(String sessionId, int version,
			@Nullable List<SessionExportDocument.Summary> summaries) {
		if (summaries == null || summaries.isEmpty()) {
			return List.of();
		}
		if (version < SessionExportDocument.VERSION_WITH_SUMMARIES) {
			throw new ChatMemoryValidationException("summaries", "needs format version "
					+ SessionExportDocument.VERSION_WITH_SUMMARIES + " but the document has version " + version);
		}
		if (summaries.size() > StoredSummary.MAX_PER_SESSION) {
			// checked here too, before a long list is turned into summaries
			throw new ChatMemoryValidationException("summaries", "at most " + StoredSummary.MAX_PER_SESSION
					+ " summaries can be imported but got " + summaries.size());
		}
		List<StoredSummary> stored = new ArrayList<>(summaries.size());
		for (int i = 0; i < summaries.size(); i++) {
			String field = "summaries[" + i + "]";
			SessionExportDocument.Summary summary = required(field, summaries.get(i));
			long from = required(field + ".from_sequence", summary.fromSequence());
			long to = required(field + ".to_sequence", summary.toSequence());
			// a summary cannot even be held with its range the wrong way round
			if (from < 1) {
				throw new ChatMemoryValidationException(field + ".from_sequence", "must be positive but was " + from);
			}
			if (to < from) {
				throw new ChatMemoryValidationException(field + ".to_sequence", "must not be before from_sequence ("
						+ from + ") but was " + to);
			}
			stored.add(new StoredSummary(required(field + ".id", summary.id()), sessionId,
					required(field + ".text", summary.text()), from, to,
					required(field + ".to_message_id", summary.toMessageId()), summary.extendsId(),
					required(field + ".created_at", summary.createdAt()), summary.model(),
					required(field + ".tokens", summary.tokens()),
					required(field + ".covered_tokens", summary.coveredTokens())));
		}
		return stored;
	}

	private static List<MessageMedia> media(String field, int version, @Nullable List<MessageMedia> media) {
		if (media == null || media.isEmpty()) {
			return List.of();
		}
		if (version < SessionExportDocument.VERSION_WITH_MEDIA) {
			throw new ChatMemoryValidationException(field + ".media", "needs format version "
					+ SessionExportDocument.VERSION_WITH_MEDIA + " but the document has version " + version);
		}
		return elements(field + ".media", media);
	}

	private static MessageRole role(String field, @Nullable String role) {
		try {
			return MessageRole.fromValue(required(field, role));
		}
		catch (ChatMemoryValidationException ex) {
			throw new ChatMemoryValidationException(field, "must be one of USER, ASSISTANT, SYSTEM, TOOL but was "
					+ quoted(role), ex);
		}
	}

	/**
	 * An optional list whose elements, when it is there, must all be present.
	 */
	private static <T> List<T> elements(String field, @Nullable List<T> values) {
		if (values == null) {
			return List.of();
		}
		for (int i = 0; i < values.size(); i++) {
			required(field + "[" + i + "]", values.get(i));
		}
		return values;
	}

	private static Map<String, Object> orEmpty(@Nullable Map<String, Object> metadata) {
		return (metadata != null) ? metadata : Map.of();
	}

	private static String quoted(@Nullable String value) {
		return (value != null) ? "'" + value + "'" : "missing";
	}

	/**
	 * A byte buffer that refuses to grow past the largest document an import accepts.
	 */
	private static final class LimitedBuffer extends ByteArrayOutputStream {

		private final long limit;

		private final String sessionId;

		LimitedBuffer(long limit, String sessionId) {
			super(8192);
			this.limit = limit;
			this.sessionId = sessionId;
		}

		@Override
		public void write(int b) {
			ensureRoom(1);
			super.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			ensureRoom(len);
			super.write(b, off, len);
		}

		private void ensureRoom(int length) {
			if (size() + (long) length > this.limit) {
				throw new ExportTooLargeException("Session '" + this.sessionId + "' exports to more than " + this.limit
						+ " bytes but an import accepts at most " + this.limit
						+ " (chat-memory.transfer.max-import-size)");
			}
		}

	}

}
