package io.github.chatmemory.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.store.StoredMessageCodec;
import io.github.chatmemory.store.StoredSummaryCodec;
import io.github.chatmemory.support.MetadataJson;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link ChatMemoryStore} on a relational database through Spring's {@link JdbcClient},
 * with the same behaviour as the Redis and in-memory stores. Every write that checks
 * something (owner, active flag, version, idempotency, answered messages, summaries) is
 * one short transaction that first locks the session's row and decides under that lock:
 * one lock order for every writer, so writers of one session queue on one row and never
 * deadlock, and an append never reads the history (its sequence and counters come from
 * the session row, a retry is told by its message ids). Transactions join a caller's
 * transaction on the same {@code DataSource}, as any Spring JDBC code does, and are bounded
 * by the settings' query timeout. Failures are left as Spring's
 * {@code DataAccessException}s and classified once, for every store, by
 * {@link io.github.chatmemory.store.ResilientChatMemoryStore}.
 */
public class JdbcChatMemoryStore implements ChatMemoryStore {

	/** The length of every id column. */
	static final int MAX_ID_LENGTH = 255;

	/** The length of the title column. */
	static final int MAX_TITLE_LENGTH = 1000;

	/** The most ids one {@code IN (...)} list carries. */
	private static final int IN_LIST_SIZE = 500;

	private static final String SESSION_COLUMNS = "id, user_id, title, metadata, active, created_at, updated_at, "
			+ "version, rewritten_version, last_seq, message_count, system_seq";

	private static final String INSERT_MESSAGE = " (session_id, seq, message_id, role, fingerprint, body, media, "
			+ "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String RETENTION = "retention";


	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final TransactionTemplate transactions;

	private final JdbcStoreSettings settings;

	private final JdbcDialect dialect;

	private final StoreInfoTable info;

	private final Clock clock;

	private final String sessions;

	private final String messages;

	private final String summaries;

	private final String branches;

	private final JdbcRecallQueue recallQueue;

	/** Whether writes queue recall tasks: read on every write, set once at startup. */
	private volatile boolean recallTasks;

	/**
	 * Create a store on tables that exist (see {@link JdbcSchema}).
	 * @param dataSource the data source
	 * @param settings the table prefix, dialect, timeout and history limit
	 * @param clock the clock for timestamps
	 */
	public JdbcChatMemoryStore(DataSource dataSource, JdbcStoreSettings settings, Clock clock) {
		this.template = settings.template(dataSource);
		this.jdbc = JdbcClient.create(this.template);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.template.getDataSource()));
		if (settings.dialect().cancelsQueriesInProcess()) {
			this.transactions.setTimeout(settings.timeoutSeconds());
		}
		if (settings.dialect() == JdbcDialect.MARIADB || settings.dialect() == JdbcDialect.MYSQL) {
			// InnoDB's default REPEATABLE READ takes gap locks on the rows a locking read
			// does not find, which deadlock writers that create the same session
			this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		}
		this.settings = settings;
		this.dialect = settings.dialect();
		this.info = new StoreInfoTable(this.jdbc, settings);
		this.clock = clock;
		this.sessions = settings.table("session");
		this.messages = settings.table("message");
		this.summaries = settings.table("summary");
		this.branches = settings.table("branch");
		this.recallQueue = new JdbcRecallQueue(this.jdbc, this.template, settings);
	}

	@Override
	public String type() {
		return "jdbc";
	}

	@Override
	public void ping() {
		this.jdbc.sql("SELECT 1").query(Integer.class).single();
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		checkLength("id", id, MAX_ID_LENGTH);
		checkLength("userId", userId, MAX_ID_LENGTH);
		checkLength("title", title, MAX_TITLE_LENGTH);
		long now = now();
		String metadataJson = MetadataJson.write(metadata);
		// an insert that does nothing on a taken id: a failed statement would abort a
		// caller's transaction on PostgreSQL
		if (insertIfAbsent("INSERT INTO " + this.sessions + " (" + SESSION_COLUMNS
				+ ") VALUES (?, ?, ?, ?, 1, ?, ?, 1, 0, 0, 0, NULL)", id, userId, title, metadataJson, now,
				now) == 0) {
			throw new SessionAlreadyExistsException(id);
		}
		Instant instant = Instant.ofEpochMilli(now);
		return new ChatSession(id, userId, title, metadata, true, instant, instant, 0, 1);
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return findRow(id).map(SessionRow::toSession);
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		if (update.title() != null) {
			checkLength("title", update.title(), MAX_TITLE_LENGTH);
		}
		long now = now();
		return inTransaction(() -> {
			SessionRow row = lock(id);
			if (row == null || !row.ownedBy(owner)) {
				throw new SessionNotFoundException(id);
			}
			checkVersion(row, update.expectedVersion());
			String title = (update.title() != null) ? update.title() : row.title();
			boolean active = (update.active() != null) ? update.active() : row.active();
			this.jdbc
				.sql("UPDATE " + this.sessions
						+ " SET title = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ?")
				.params(title, active ? 1 : 0, now, id)
				.update();
			return new SessionRow(id, row.userId(), title, row.metadata(), active, row.createdAt(), now,
					row.version() + 1, row.rewrittenVersion(), row.lastSeq(), row.messageCount(), row.systemSeq())
				.toSession();
		});
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return inTransaction(() -> {
			SessionRow row = lock(id);
			if (row == null || !row.ownedBy(owner)) {
				return false;
			}
			deleteAll(id);
			return true;
		});
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return inTransaction(() -> {
			SessionRow row = lock(id);
			if (row == null || row.updatedAt() >= cutoff.toEpochMilli()) {
				return false;
			}
			deleteAll(id);
			return true;
		});
	}

	/**
	 * Delete a session with everything of it, under its row lock. One statement per
	 * table, each bounded by the session's own rows through the primary key (or, for the
	 * lists the session is a branch in, the branch index); a session with 10,000 messages
	 * takes milliseconds.
	 */
	private void deleteAll(String id) {
		queueRebuild(id);
		this.jdbc.sql("DELETE FROM " + this.messages + " WHERE session_id = ?").param(id).update();
		this.jdbc.sql("DELETE FROM " + this.summaries + " WHERE session_id = ?").param(id).update();
		this.jdbc.sql("DELETE FROM " + this.branches + " WHERE session_id = ?").param(id).update();
		// it leaves the list of the session it was branched from
		this.jdbc.sql("DELETE FROM " + this.branches + " WHERE branch_id = ?").param(id).update();
		this.jdbc.sql("DELETE FROM " + this.sessions + " WHERE id = ?").param(id).update();
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		return write(sessionId, messages, createIfMissing, false, owner, expectedVersion);
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return write(sessionId, messages, true, true, null, null).messages();
	}

	private VersionedMessages write(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			boolean replace, @Nullable String owner, @Nullable Long expectedVersion) {
		checkLength("sessionId", sessionId, MAX_ID_LENGTH);
		List<String> fingerprints = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			NewMessage message = messages.get(i);
			Objects.requireNonNull(message.id(), "Messages must have an id before they reach the store");
			checkLength("messages[" + i + "].id", message.id(), MAX_ID_LENGTH);
			fingerprints.add(StoredMessageCodec.fingerprint(message));
		}
		long now = now();
		return inTransaction(() -> {
			SessionRow row = lock(sessionId);
			if (row != null && !row.ownedBy(owner)) {
				throw new SessionNotFoundException(sessionId);
			}
			if (row == null) {
				if (!createIfMissing || owner != null || expectedVersion != null) {
					// a session made for nobody is never the owner's
					throw new SessionNotFoundException(sessionId);
				}
				// checked before the session is made, though a refusal rolls it back too
				checkBatch(sessionId, Map.of(), messages, fingerprints);
				row = create(sessionId, now);
			}
			if (!row.active()) {
				throw new SessionInactiveException(sessionId);
			}
			Map<String, KnownMessage> known = replace ? Map.of() : findKnown(sessionId, messages);
			boolean writes = checkBatch(sessionId, known, messages, fingerprints);
			if (expectedVersion != null && writes && row.version() != expectedVersion) {
				throw new SessionVersionConflictException(sessionId, expectedVersion, row.version());
			}
			if (!writes && !replace) {
				// a retry of messages all stored already changes nothing, not even the activity,
				// and has no version of its own: the current one may hold others' changes
				return new VersionedMessages(storedAlready(sessionId, messages), null);
			}
			List<StoredMessage> stored = insert(row, messages, fingerprints, known, replace, now);
			if (replace) {
				queueRebuild(sessionId);
			}
			else if (this.recallTasks) {
				// the new messages follow the row's last sequence
				this.recallQueue.queueFrom(sessionId, row.lastSeq() + 1, now);
			}
			return new VersionedMessages(stored, row.version() + 1);
		});
	}

	/**
	 * Insert the new messages of a batch after the session's last sequence and move the
	 * session row on; a replacement first removes every message (and the summaries, which
	 * would cover them), keeping the stored body, and so the creation time, of a message
	 * it repeats, as Spring AI's repositories re-save every message.
	 */
	private List<StoredMessage> insert(SessionRow row, List<NewMessage> batch, List<String> fingerprints,
			Map<String, KnownMessage> known, boolean replace, long now) {
		String sessionId = row.id();
		Map<String, String[]> kept = replace ? keptBodies(sessionId, batch, fingerprints) : Map.of();
		if (replace) {
			this.jdbc.sql("DELETE FROM " + this.messages + " WHERE session_id = ?").param(sessionId).update();
			this.jdbc.sql("DELETE FROM " + this.summaries + " WHERE session_id = ?").param(sessionId).update();
		}
		Instant createdAt = Instant.ofEpochMilli(now);
		long seq = row.lastSeq();
		Long systemSeq = replace ? null : row.systemSeq();
		List<String> knownIds = batch.stream().map(NewMessage::id).filter(known::containsKey).distinct().toList();
		Map<String, StoredMessage> written = knownIds.isEmpty() ? new HashMap<>() : readByIds(sessionId, knownIds);
		List<StoredMessage> result = new ArrayList<>(batch.size());
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			NewMessage message = batch.get(i);
			StoredMessage earlier = written.get(message.id());
			if (earlier != null) {
				// stored before, or earlier in the batch
				result.add(earlier);
				continue;
			}
			seq++;
			String[] keptBody = kept.get(message.id());
			String body = (keptBody != null) ? keptBody[0] : StoredMessageCodec.write(message, createdAt);
			String media = (keptBody != null) ? keptBody[1] : StoredMessageCodec.writeMedia(message.media());
			StoredMessage created = (keptBody != null) ? read(sessionId, message.id(), seq, body, media, true)
					: new StoredMessage(message.id(), sessionId, seq, message.role(), message.content(),
							message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(),
							createdAt, message.media());
			rows.add(new Object[] { sessionId, seq, message.id(), message.role().name(), fingerprints.get(i), body,
					media.isEmpty() ? null : media, created.createdAt().toEpochMilli() });
			if (message.role() == MessageRole.SYSTEM) {
				systemSeq = seq;
			}
			written.put(message.id(), created);
			result.add(created);
		}
		this.template.batchUpdate("INSERT INTO " + this.messages + INSERT_MESSAGE, rows);
		long count = (replace ? 0 : row.messageCount()) + rows.size();
		count -= trim(sessionId, count);
		this.jdbc
			.sql("UPDATE " + this.sessions + " SET last_seq = ?, message_count = ?, system_seq = ?, updated_at = ?, "
					+ "version = version + 1 WHERE id = ?")
			.params(seq, count, systemSeq, now, sessionId)
			.update();
		return result;
	}

	/**
	 * Remove the oldest messages past the history limit, reading only as many index
	 * entries as there are messages to remove.
	 * @return how many were removed
	 */
	private long trim(String sessionId, long count) {
		long excess = count - this.settings.maxHistory();
		if (this.settings.maxHistory() == 0 || excess <= 0) {
			return 0;
		}
		Long firstKept = this.jdbc
			.sql("SELECT seq FROM " + this.messages
					+ " WHERE session_id = ?" + this.dialect.orderBy("session_id", "seq", false) + " LIMIT 1 OFFSET ?")
			.params(sessionId, excess)
			.query(Long.class)
			.optional()
			.orElse(Long.MAX_VALUE);
		return this.jdbc.sql("DELETE FROM " + this.messages + " WHERE session_id = ? AND seq < ?")
			.params(sessionId, firstKept)
			.update();
	}

	/**
	 * Check, before anything is written, that a known id comes with the message stored
	 * under it (by fingerprint), and that every new message answers a message of the
	 * session or an earlier one of the batch.
	 * @return whether the batch holds a message to write
	 */
	private static boolean checkBatch(String sessionId, Map<String, KnownMessage> known, List<NewMessage> batch,
			List<String> fingerprints) {
		Map<String, String> earlier = new HashMap<>();
		boolean writes = false;
		for (int i = 0; i < batch.size(); i++) {
			NewMessage message = batch.get(i);
			KnownMessage stored = known.get(message.id());
			String fingerprint = (stored != null) ? stored.fingerprint() : earlier.get(message.id());
			if (fingerprint != null) {
				if (!fingerprint.equals(fingerprints.get(i))) {
					throw new IdempotencyConflictException(sessionId, message.id());
				}
				continue;
			}
			if (message.responseTo() != null && !known.containsKey(message.responseTo())
					&& !earlier.containsKey(message.responseTo())) {
				throw new ChatMemoryValidationException("messages[" + i + "].responseTo",
						"must name a message of the session but was '" + message.responseTo() + "'");
			}
			earlier.put(message.id(), fingerprints.get(i));
			writes = true;
		}
		return writes;
	}

	/**
	 * Look up the batch's ids and the ids it answers, and nothing else of the history:
	 * sequences and fingerprints only, the bodies being read only for a retry.
	 */
	private Map<String, KnownMessage> findKnown(String sessionId, List<NewMessage> batch) {
		Set<String> ids = new LinkedHashSet<>();
		for (NewMessage message : batch) {
			ids.add(message.id());
			if (message.responseTo() != null) {
				ids.add(message.responseTo());
			}
		}
		Map<String, KnownMessage> known = new HashMap<>();
		for (List<String> chunk : chunks(new ArrayList<>(ids))) {
			this.jdbc
				.sql("SELECT message_id, seq, fingerprint FROM " + this.messages + " WHERE session_id = ? AND "
						+ "message_id IN (" + placeholders(chunk.size()) + ")")
				.params(params(sessionId, chunk))
				.query((rs, rowNum) -> new KnownMessage(rs.getString(1), rs.getLong(2), rs.getString(3)))
				.list()
				.forEach((message) -> known.put(message.id(), message));
		}
		return known;
	}

	/**
	 * Return the stored messages of a batch that is all stored already, with their bodies.
	 */
	private List<StoredMessage> storedAlready(String sessionId, List<NewMessage> batch) {
		Map<String, StoredMessage> byId = readByIds(sessionId, batch.stream().map(NewMessage::id).distinct().toList());
		return batch.stream().map((message) -> byId.get(message.id())).toList();
	}

	private Map<String, StoredMessage> readByIds(String sessionId, List<String> ids) {
		Map<String, StoredMessage> byId = new HashMap<>();
		for (List<String> chunk : chunks(ids)) {
			this.jdbc
				.sql("SELECT seq, message_id, body, media FROM " + this.messages + " WHERE session_id = ? AND "
						+ "message_id IN (" + placeholders(chunk.size()) + ")")
				.params(params(sessionId, chunk))
				.query(messageMapper(sessionId, true))
				.list()
				.forEach((message) -> byId.put(message.id(), message));
		}
		return byId;
	}

	/**
	 * The stored bodies and media of the messages a replacement repeats (same id and
	 * fingerprint).
	 */
	private Map<String, String[]> keptBodies(String sessionId, List<NewMessage> batch, List<String> fingerprints) {
		Map<String, String> wanted = new HashMap<>();
		for (int i = 0; i < batch.size(); i++) {
			wanted.putIfAbsent(batch.get(i).id(), fingerprints.get(i));
		}
		Map<String, String[]> kept = new HashMap<>();
		for (List<String> chunk : chunks(new ArrayList<>(wanted.keySet()))) {
			this.jdbc
				.sql("SELECT message_id, fingerprint, body, media FROM " + this.messages + " WHERE session_id = ? AND "
						+ "message_id IN (" + placeholders(chunk.size()) + ")")
				.params(params(sessionId, chunk))
				.query((ResultSet rs) -> {
					if (rs.getString(2).equals(wanted.get(rs.getString(1)))) {
						String media = rs.getString(4);
						kept.put(rs.getString(1), new String[] { rs.getString(3), (media != null) ? media : "" });
					}
				});
		}
		return kept;
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		String mediaColumn = query.includeMedia() ? "m.media" : "NULL";
		// the session's version in the same statement: one snapshot for both
		String select = "SELECT m.seq, m.message_id, m.body, " + mediaColumn + " AS media, (SELECT version FROM "
				+ this.sessions + " WHERE id = ?) AS session_version FROM " + this.messages + " m WHERE m.session_id = ?";
		List<Object> params = new ArrayList<>(List.of(sessionId, sessionId));
		String sql;
		if (query.forward()) {
			sql = select + " AND m.seq > ?" + this.dialect.orderBy("m.session_id", "m.seq", false) + " LIMIT ?";
			params.add(query.after());
		}
		else if (query.before() != null) {
			sql = select + " AND m.seq < ?" + this.dialect.orderBy("m.session_id", "m.seq", true) + " LIMIT ?";
			params.add(query.before());
		}
		else {
			sql = select + this.dialect.orderBy("m.session_id", "m.seq", true) + " LIMIT ?";
		}
		params.add(query.limit());
		List<StoredMessage> read = new ArrayList<>();
		Long[] version = { null };
		this.jdbc.sql(sql).params(params).query((ResultSet rs) -> {
			long characters = 0;
			while (rs.next()) {
				long sessionVersion = rs.getLong(5);
				version[0] = rs.wasNull() ? null : sessionVersion;
				String body = rs.getString(3);
				String media = rs.getString(4);
				read.add(read(sessionId, rs.getString(2), rs.getLong(1), body, media, query.includeMedia()));
				characters += body.length() + ((media != null) ? media.length() : 0);
				if (query.maxBytes() > 0 && characters >= query.maxBytes()) {
					// past the caller's bound: the rest would not be used
					break;
				}
			}
			return read;
		});
		if (read.isEmpty()) {
			version[0] = findRow(sessionId).map(SessionRow::version).orElse(null);
		}
		if (version[0] == null) {
			throw new SessionNotFoundException(sessionId);
		}
		if (!query.forward()) {
			Collections.reverse(read);
		}
		return new VersionedMessages(read, version[0]);
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		List<Optional<StoredMessage>> found = this.jdbc
			.sql("SELECT m.seq, m.message_id, m.body, m.media FROM " + this.sessions + " s LEFT JOIN " + this.messages
					+ " m ON m.session_id = s.id AND m.message_id = ? WHERE s.id = ?")
			.params(messageId, sessionId)
			.query((rs, rowNum) -> (rs.getString(2) != null)
					? Optional.of(messageMapper(sessionId, true).mapRow(rs, rowNum)) : Optional.<StoredMessage>empty())
			.list();
		if (found.isEmpty()) {
			throw new SessionNotFoundException(sessionId);
		}
		return found.get(0);
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		SessionRow row;
		List<StoredMessage> recent;
		for (int attempt = 1;; attempt++) {
			row = findRow(sessionId).orElse(null);
			if (row == null) {
				return new RecentMessages(false, 0, null, List.of());
			}
			// up to the last sequence the row counted, so that the count and the messages agree
			// when an append lands in between
			recent = new ArrayList<>(this.jdbc.sql(recentMessagesSql(includeMedia))
				.params(sessionId, row.lastSeq(), limit)
				.query(messageMapper(sessionId, includeMedia))
				.list());
			// every message up to the row's last sequence is one it counted: fewer means a
			// replace, clear, import or trim landed between the two statements, and the row
			// would count messages the window no longer holds (an empty window for a turn)
			if (recent.size() == Math.min(limit, row.messageCount()) || attempt == 3) {
				break;
			}
		}
		Collections.reverse(recent);
		String media = includeMedia ? "media" : "NULL";
		StoredMessage system = null;
		if (row.systemSeq() != null) {
			long systemSeq = row.systemSeq();
			system = recent.stream().filter((message) -> message.sequence() == systemSeq).findFirst().orElse(null);
			if (system == null && (recent.isEmpty() || systemSeq < recent.get(0).sequence())) {
				// gone when trimmed away by the history limit, as in the other stores
				system = this.jdbc
					.sql("SELECT seq, message_id, body, " + media + " FROM " + this.messages
							+ " WHERE session_id = ? AND seq = ?")
					.params(sessionId, systemSeq)
					.query(messageMapper(sessionId, includeMedia))
					.optional()
					.orElse(null);
			}
		}
		return new RecentMessages(true, row.messageCount(), system, recent);
	}

	/**
	 * The statement of a context window's messages: the newest of a session up to a
	 * sequence, read backwards along the primary key.
	 */
	String recentMessagesSql(boolean includeMedia) {
		return "SELECT seq, message_id, body, " + (includeMedia ? "media" : "NULL") + " FROM " + this.messages
				+ " WHERE session_id = ? AND seq <= ?" + this.dialect.orderBy("session_id", "seq", true) + " LIMIT ?";
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		long now = now();
		inTransaction(() -> {
			SessionRow row = lock(sessionId);
			if (row == null || !row.ownedBy(owner)) {
				throw new SessionNotFoundException(sessionId);
			}
			queueRebuild(sessionId);
			this.jdbc.sql("DELETE FROM " + this.messages + " WHERE session_id = ?").param(sessionId).update();
			this.jdbc.sql("DELETE FROM " + this.summaries + " WHERE session_id = ?").param(sessionId).update();
			this.jdbc
				.sql("UPDATE " + this.sessions + " SET message_count = 0, system_seq = NULL, updated_at = ?, "
						+ "version = version + 1 WHERE id = ?")
				.params(now, sessionId)
				.update();
			return null;
		});
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		// served by the (user_id, updated_at, id) index, newest activity first as the other
		// stores list them
		List<ChatSession> items = this.jdbc
			.sql("SELECT " + SESSION_COLUMNS + " FROM " + this.sessions
					+ " WHERE user_id = ?" + this.dialect.orderBy("user_id", "updated_at, id", true)
					+ " LIMIT ? OFFSET ?")
			.params(userId, size, (long) page * size)
			.query(SESSION_MAPPER)
			.list()
			.stream()
			.map(SessionRow::toSession)
			.toList();
		long total = this.jdbc.sql("SELECT COUNT(*) FROM " + this.sessions + " WHERE user_id = ?")
			.param(userId)
			.query(Long.class)
			.single();
		return new PagedResult<>(items, page, size, total);
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return this.jdbc
			.sql("SELECT id FROM " + this.sessions + " ORDER BY updated_at DESC, id DESC LIMIT ?")
			.param(limit)
			.query(String.class)
			.list();
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> imported, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		checkLength("session.id", session.id(), MAX_ID_LENGTH);
		checkLength("session.userId", session.userId(), MAX_ID_LENGTH);
		checkLength("session.title", session.title(), MAX_TITLE_LENGTH);
		for (int i = 0; i < imported.size(); i++) {
			checkLength("messages[" + i + "].id", imported.get(i).id(), MAX_ID_LENGTH);
		}
		for (int i = 0; i < summaries.size(); i++) {
			checkLength("summaries[" + i + "].id", summaries.get(i).id(), MAX_ID_LENGTH);
		}
		int maxHistory = this.settings.maxHistory();
		List<StoredMessage> messages = (maxHistory > 0 && imported.size() > maxHistory)
				? imported.subList(imported.size() - maxHistory, imported.size()) : imported;
		List<StoredSummary> keptSummaries = summaries.subList(
				Math.max(0, summaries.size() - StoredSummary.MAX_PER_SESSION), summaries.size());
		String id = session.id();
		long lastSeq = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).sequence();
		Long systemSeq = null;
		for (StoredMessage message : messages) {
			if (message.role() == MessageRole.SYSTEM) {
				systemSeq = message.sequence();
			}
		}
		Long system = systemSeq;
		return inTransaction(() -> {
			SessionRow row = lock(id);
			if (row == null && expectedVersion != null) {
				throw new SessionNotFoundException(id);
			}
			long version = 1;
			Object[] fields = { session.userId(), session.title(), MetadataJson.write(session.metadata()),
					session.active() ? 1 : 0, session.createdAt().toEpochMilli(), session.updatedAt().toEpochMilli() };
			Object[] params = { id, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], version,
					version, lastSeq, messages.size(), system };
			for (int attempt = 1; row == null; attempt++) {
				if (insertIfAbsent("INSERT INTO " + this.sessions + " (" + SESSION_COLUMNS
						+ ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params) > 0) {
					break;
				}
				// created meanwhile by another writer: decide as for any existing session, unless
				// it was deleted again before the lock (PostgreSQL's ON CONFLICT DO NOTHING locks
				// nothing), when the messages below would be written without their session
				row = lock(id);
				if (row == null && attempt == 10) {
					throw new IllegalStateException("Session '" + id + "' was deleted as often as it was created");
				}
			}
			if (row != null) {
				if (!replaceExisting) {
					throw new SessionAlreadyExistsException(id);
				}
				if (!row.ownedBy(owner)) {
					throw new SessionNotFoundException(id);
				}
				checkVersion(row, expectedVersion);
				version = row.version() + 1;
				// the replaced session's branches stay listed: they stay sessions
				this.jdbc.sql("DELETE FROM " + this.messages + " WHERE session_id = ?").param(id).update();
				this.jdbc.sql("DELETE FROM " + this.summaries + " WHERE session_id = ?").param(id).update();
				this.jdbc
					.sql("UPDATE " + this.sessions + " SET user_id = ?, title = ?, metadata = ?, active = ?, "
							+ "created_at = ?, updated_at = ?, version = ?, rewritten_version = ?, last_seq = ?, "
							+ "message_count = ?, system_seq = ? WHERE id = ?")
					.params(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], version, version, lastSeq,
							messages.size(), system, id)
					.update();
			}
			List<Object[]> rows = new ArrayList<>(messages.size());
			for (StoredMessage message : messages) {
				String media = StoredMessageCodec.writeMedia(message.media());
				rows.add(new Object[] { id, message.sequence(), message.id(), message.role().name(),
						StoredMessageCodec.fingerprint(message), StoredMessageCodec.write(message),
						media.isEmpty() ? null : media, message.createdAt().toEpochMilli() });
			}
			this.template.batchUpdate("INSERT INTO " + this.messages + INSERT_MESSAGE, rows);
			// a new session too: vectors of an earlier session of the same id may be left
			queueRebuild(id);
			List<Object[]> summaryRows = new ArrayList<>(keptSummaries.size());
			for (int i = 0; i < keptSummaries.size(); i++) {
				StoredSummary summary = keptSummaries.get(i);
				summaryRows.add(new Object[] { id, i + 1, summary.id(), StoredSummaryCodec.write(summary) });
			}
			this.template.batchUpdate("INSERT INTO " + this.summaries
					+ " (session_id, pos, summary_id, body) VALUES (?, ?, ?, ?)", summaryRows);
			return new ChatSession(id, session.userId(), session.title(), session.metadata(), session.active(),
					session.createdAt(), session.updatedAt(), messages.size(), version);
		});
	}

	@Override
	public void enableRecallTasks() {
		this.recallTasks = true;
	}

	@Override
	public boolean isRecallTasksEnabled() {
		return this.recallTasks;
	}

	@Override
	public List<RecallTask> findRecallTasks(int limit) {
		return this.recallQueue.find(limit);
	}

	/**
	 * The statement that reads the oldest recall tasks.
	 */
	String recallTasksSql() {
		return this.recallQueue.findSql();
	}

	@Override
	public boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		return inTransaction(() -> this.recallQueue.complete(task, indexedThroughSequence, finished));
	}

	@Override
	public long countRecallTasks() {
		return this.recallQueue.count();
	}

	@Override
	public void queueRecallRebuild(String sessionId) {
		checkLength("sessionId", sessionId, MAX_ID_LENGTH);
		long now = now();
		// no session lock: the session may be gone, and the task's one statement merges
		// atomically with any writer's
		inTransaction(() -> {
			this.recallQueue.queueRebuild(List.of(sessionId), now);
			return null;
		});
	}

	@Override
	public long queueRecallRebuildOfAllSessions() {
		long queued = 0;
		String after = "";
		// keyset pages along the primary key, one short transaction each: memory and lock
		// times stay bounded whatever the number of sessions
		while (true) {
			List<String> page = this.jdbc
				.sql("SELECT id FROM " + this.sessions + " WHERE id > ? ORDER BY id LIMIT ?")
				.params(after, IN_LIST_SIZE)
				.query(String.class)
				.list();
			if (page.isEmpty()) {
				return queued;
			}
			long now = now();
			inTransaction(() -> {
				this.recallQueue.queueRebuild(page, now);
				return null;
			});
			queued += page.size();
			after = page.get(page.size() - 1);
		}
	}

	/**
	 * Make the session's recall task a rebuild, in the transaction of the write that
	 * rewrites or removes its messages, when recall tasks are on.
	 */
	private void queueRebuild(String sessionId) {
		if (this.recallTasks) {
			this.recallQueue.queueRebuild(List.of(sessionId), now());
		}
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		checkLength("branchId", branchId, MAX_ID_LENGTH);
		return inTransaction(() -> {
			if (lock(sessionId) == null) {
				return false;
			}
			// under the source's row lock, so an update-or-insert cannot race another one
			if (this.jdbc
				.sql("UPDATE " + this.branches + " SET created_at = ? WHERE session_id = ? AND branch_id = ?")
				.params(createdAt.toEpochMilli(), sessionId, branchId)
				.update() == 0) {
				this.jdbc
					.sql("INSERT INTO " + this.branches + " (session_id, branch_id, created_at) VALUES (?, ?, ?)")
					.params(sessionId, branchId, createdAt.toEpochMilli())
					.update();
			}
			return true;
		});
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		this.jdbc.sql("DELETE FROM " + this.branches + " WHERE session_id = ? AND branch_id = ?")
			.params(sessionId, branchId)
			.update();
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		if (findRow(sessionId).isEmpty()) {
			throw new SessionNotFoundException(sessionId);
		}
		// a branch that is gone has no session row to join: deleting a session removes it
		// from its source's list in the same transaction
		String from = " FROM " + this.branches + " b JOIN " + this.sessions + " s ON s.id = b.branch_id"
				+ " WHERE b.session_id = ?";
		List<ChatSession> items = this.jdbc
			.sql("SELECT " + prefixed("s.") + from + " ORDER BY b.created_at DESC, s.id LIMIT ? OFFSET ?")
			.params(sessionId, size, (long) page * size)
			.query(SESSION_MAPPER)
			.list()
			.stream()
			.map(SessionRow::toSession)
			.toList();
		long total = this.jdbc.sql("SELECT COUNT(*)" + from).param(sessionId).query(Long.class).single();
		return new PagedResult<>(items, page, size, total);
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return this.jdbc
			.sql("SELECT id FROM " + this.sessions + " WHERE updated_at < ? ORDER BY updated_at, id LIMIT ?")
			.params(cutoff.toEpochMilli(), limit)
			.query(String.class)
			.list();
	}

	@Override
	public ChatMemoryStatistics statistics() {
		// from the session rows, whose counters every write keeps exact
		long[] totals = this.jdbc
			.sql("SELECT COUNT(*), COALESCE(SUM(active), 0), COALESCE(SUM(message_count), 0), "
					+ "COUNT(DISTINCT user_id) FROM " + this.sessions)
			.query((rs, rowNum) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) })
			.single();
		RetentionRun lastRetention = this.info.read(RETENTION).map((value) -> {
			String[] parts = value.split(",");
			return new RetentionRun(Instant.ofEpochMilli(Long.parseLong(parts[0])),
					Instant.ofEpochMilli(Long.parseLong(parts[1])), Long.parseLong(parts[2]));
		}).orElse(null);
		return new ChatMemoryStatistics(type(), totals[0], totals[1], totals[2], totals[3], lastRetention);
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		this.info.write(RETENTION,
				run.ranAt().toEpochMilli() + "," + run.cutoff().toEpochMilli() + "," + run.deletedSessions());
	}

	@Override
	public Optional<StoredSummary> findLatestSummary(String sessionId) {
		return this.jdbc
			.sql("SELECT body FROM " + this.summaries
					+ " WHERE session_id = ?" + this.dialect.orderBy("session_id", "pos", true) + " LIMIT 1")
			.param(sessionId)
			.query(String.class)
			.optional()
			.map((body) -> StoredSummaryCodec.read(sessionId, body));
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		if (findRow(sessionId).isEmpty()) {
			throw new SessionNotFoundException(sessionId);
		}
		List<StoredSummary> items = this.jdbc
			.sql("SELECT body FROM " + this.summaries
					+ " WHERE session_id = ?" + this.dialect.orderBy("session_id", "pos", true) + " LIMIT ? OFFSET ?")
			.params(sessionId, size, (long) page * size)
			.query(String.class)
			.list()
			.stream()
			.map((body) -> StoredSummaryCodec.read(sessionId, body))
			.toList();
		long total = this.jdbc.sql("SELECT COUNT(*) FROM " + this.summaries + " WHERE session_id = ?")
			.param(sessionId)
			.query(Long.class)
			.single();
		return new PagedResult<>(items, page, size, total);
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		checkLength("summary.id", summary.id(), MAX_ID_LENGTH);
		String sessionId = summary.sessionId();
		return inTransaction(() -> {
			SessionRow row = lock(sessionId);
			if (row == null || row.createdAt() != sessionCreatedAt.toEpochMilli()) {
				// gone, or another session created under the same id since the run read it
				return SummaryWrite.SESSION_NOT_FOUND;
			}
			Object[] latest = this.jdbc
				.sql("SELECT pos, summary_id FROM " + this.summaries
						+ " WHERE session_id = ?" + this.dialect.orderBy("session_id", "pos", true) + " LIMIT 1")
				.param(sessionId)
				.query((rs, rowNum) -> new Object[] { rs.getLong(1), rs.getString(2) })
				.optional()
				.orElse(null);
			if (!Objects.equals((latest != null) ? latest[1] : null, summary.extendsId())) {
				return SummaryWrite.PREVIOUS_CHANGED;
			}
			Long covered = this.jdbc
				.sql("SELECT seq FROM " + this.messages + " WHERE session_id = ? AND message_id = ?")
				.params(sessionId, summary.toMessageId())
				.query(Long.class)
				.optional()
				.orElse(null);
			if (covered == null || covered != summary.toSequence() || row.rewrittenVersion() > sessionVersion) {
				// an import may keep ids and sequences while it changes what they say
				return SummaryWrite.MESSAGES_CHANGED;
			}
			long position = (latest != null) ? (long) latest[0] + 1 : 1;
			this.jdbc
				.sql("INSERT INTO " + this.summaries + " (session_id, pos, summary_id, body) VALUES (?, ?, ?, ?)")
				.params(sessionId, position, summary.id(), StoredSummaryCodec.write(summary))
				.update();
			this.jdbc.sql("DELETE FROM " + this.summaries + " WHERE session_id = ? AND pos <= ?")
				.params(sessionId, position - StoredSummary.MAX_PER_SESSION)
				.update();
			return SummaryWrite.STORED;
		});
	}

	/**
	 * Lock a session's row for the rest of the transaction and read it: the first step of
	 * every write that checks something, so that writers of one session queue here.
	 */
	private @Nullable SessionRow lock(String id) {
		if (this.dialect.writesFirst()) {
			this.jdbc.sql("UPDATE " + this.sessions + " SET version = version WHERE id = ?").param(id).update();
		}
		return this.jdbc
			.sql("SELECT " + SESSION_COLUMNS + " FROM " + this.sessions + " WHERE id = ?" + this.dialect.forUpdate())
			.param(id)
			.query(SESSION_MAPPER)
			.optional()
			.orElse(null);
	}

	/**
	 * Make an owner-less session for a write that may create one, racing other creators:
	 * the loser finds the winner's row and locks it.
	 */
	private SessionRow create(String id, long now) {
		String insert = this.dialect.insertOrLock("INSERT INTO " + this.sessions + " (" + SESSION_COLUMNS
				+ ") VALUES (?, NULL, '', '{}', 1, ?, ?, 0, 0, 0, 0, NULL)");
		for (int attempt = 1;; attempt++) {
			try {
				this.jdbc.sql(insert).params(id, now, now).update();
			}
			catch (DuplicateKeyException ex) {
				// H2: created by another writer, whose row the lock below waits for
			}
			SessionRow row = lock(id);
			// the winner of the race may have deleted it already: create it again
			if (row != null) {
				return row;
			}
			if (attempt == 10) {
				throw new IllegalStateException("Session '" + id + "' was deleted as often as it was created");
			}
		}
	}

	private int insertIfAbsent(String insert, Object... params) {
		try {
			return this.jdbc.sql(this.dialect.insertIfAbsent(insert)).params(params).update();
		}
		catch (DuplicateKeyException ex) {
			// H2 has no insert that ignores a taken key; its failed statement leaves the
			// transaction usable
			return 0;
		}
	}

	private Optional<SessionRow> findRow(String id) {
		return this.jdbc.sql("SELECT " + SESSION_COLUMNS + " FROM " + this.sessions + " WHERE id = ?")
			.param(id)
			.query(SESSION_MAPPER)
			.optional();
	}

	/**
	 * Run a write in a transaction, joining the caller's if there is one. A transaction of
	 * its own that a database picked as a deadlock victim is tried again: it changed
	 * nothing, and only racing creators of one new session (through an import) can meet
	 * that way, since every other write locks its session row first.
	 */
	private <T> T inTransaction(Supplier<T> action) {
		boolean own = !TransactionSynchronizationManager.isActualTransactionActive();
		for (int attempt = 1;; attempt++) {
			try {
				return this.transactions.execute((status) -> action.get());
			}
			catch (PessimisticLockingFailureException ex) {
				// a lock wait that timed out has already waited as long as a caller should
				if (!own || attempt >= 3 || !isDeadlock(ex)) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Whether the database rolled a transaction back to break a deadlock (SQL state class
	 * 40), rather than a lock wait timing out.
	 */
	private static boolean isDeadlock(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
				return true;
			}
		}
		return false;
	}

	private static void checkVersion(SessionRow row, @Nullable Long expectedVersion) {
		if (expectedVersion != null && expectedVersion != row.version()) {
			throw new SessionVersionConflictException(row.id(), expectedVersion, row.version());
		}
	}

	/**
	 * Refuse a value longer than its column rather than let the database fail (a 500) or
	 * cut it. Counted in UTF-16 units, as H2 counts, which is never fewer than the code
	 * points PostgreSQL and MariaDB count.
	 */
	private static void checkLength(String field, @Nullable String value, int max) {
		if (value != null && value.length() > max) {
			throw new ChatMemoryValidationException(field,
					"must have at most " + max + " characters, the length of its column in the JDBC chat memory store");
		}
	}

	private static List<List<String>> chunks(List<String> ids) {
		List<List<String>> chunks = new ArrayList<>();
		for (int i = 0; i < ids.size(); i += IN_LIST_SIZE) {
			chunks.add(ids.subList(i, Math.min(ids.size(), i + IN_LIST_SIZE)));
		}
		return chunks;
	}

	private static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	private static List<Object> params(String first, List<String> rest) {
		List<Object> params = new ArrayList<>(rest.size() + 1);
		params.add(first);
		params.addAll(rest);
		return params;
	}

	private static String prefixed(String alias) {
		return alias + SESSION_COLUMNS.replace(", ", ", " + alias);
	}

	private static RowMapper<StoredMessage> messageMapper(String sessionId, boolean includeMedia) {
		return (rs, rowNum) -> read(sessionId, rs.getString(2), rs.getLong(1), rs.getString(3), rs.getString(4),
				includeMedia);
	}

	private static StoredMessage read(String sessionId, String id, long seq, String body, @Nullable String media,
			boolean includeMedia) {
		return StoredMessageCodec.read(sessionId, id, seq, body, (media != null) ? media : "", includeMedia);
	}

	private long now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
	}

	private static final RowMapper<SessionRow> SESSION_MAPPER = JdbcChatMemoryStore::sessionRow;

	private static SessionRow sessionRow(ResultSet rs, int rowNum) throws SQLException {
		long systemSeq = rs.getLong(12);
		Long system = rs.wasNull() ? null : systemSeq;
		return new SessionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5) != 0,
				rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), system);
	}

	/**
	 * A session's row: what the session is, and the counters its writes keep.
	 */
	private record SessionRow(String id, @Nullable String userId, String title, String metadata, boolean active,
			long createdAt, long updatedAt, long version, long rewrittenVersion, long lastSeq, long messageCount,
			@Nullable Long systemSeq) {

		boolean ownedBy(@Nullable String owner) {
			return owner == null || owner.equals(this.userId);
		}

		ChatSession toSession() {
			return new ChatSession(this.id, this.userId, this.title, MetadataJson.read(this.metadata), this.active,
					Instant.ofEpochMilli(this.createdAt), Instant.ofEpochMilli(this.updatedAt), this.messageCount,
					this.version);
		}

	}

	/**
	 * A stored message of the session as an append looks it up: by id, with its sequence
	 * and fingerprint.
	 */
	private record KnownMessage(String id, long seq, String fingerprint) {
	}

}
