package io.github.chatmemory.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.ChatMemoryStore.SessionUpdate;
import io.github.chatmemory.store.StoredMessageCodec;
import io.github.chatmemory.store.StoredSummaryCodec;
import io.github.chatmemory.support.MetadataJson;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * The Lua scripts that write and read one session, each called with its arguments and
 * its reply decoded into a small typed reply; what a reply means for the caller is
 * {@link RedisChatMemoryStore}'s to decide. Every script touches only the keys of one
 * session, which share one hash slot (see {@link RedisKeys}).
 */
final class RedisSessionScripts {

	/**
	 * The message bytes one read reply carries at most; a longer read continues in further
	 * replies, so that a bulk read never holds a shared connection for long.
	 */
	static final int READ_BUDGET_BYTES = 1024 * 1024;

	/** The elements of one message in a read reply: sequence, id, body, media. */
	private static final int ENTRY_SIZE = 4;

	private static final RedisScript<List> APPEND = scriptWithRecallTask("append.lua", List.class);

	private static final RedisScript<List> READ = script("read.lua", List.class);

	private static final RedisScript<Long> CREATE_SESSION = script("create-session.lua", Long.class);

	private static final RedisScript<List> UPDATE_SESSION = script("update-session.lua", List.class);

	private static final RedisScript<List> CLEAR_MESSAGES = scriptWithRecallTask("clear-messages.lua", List.class);

	private static final RedisScript<List> DELETE_SESSION = scriptWithRecallTask("delete-session.lua", List.class);

	private static final RedisScript<List> IMPORT_SESSION = scriptWithRecallTask("import-session.lua", List.class);

	private static final RedisScript<String> QUEUE_RECALL_REBUILD = scriptWithRecallTask("queue-recall-rebuild.lua",
			String.class);

	private static final RedisScript<Long> COMPLETE_RECALL_TASK = script("complete-recall-task.lua", Long.class);

	private static final RedisScript<List> FIND_MESSAGE = script("find-message.lua", List.class);

	private static final RedisScript<Long> ADD_BRANCH = script("add-branch.lua", Long.class);

	private static final RedisScript<String> SAVE_SUMMARY = script("save-summary.lua", String.class);

	private static final RedisScript<List> READ_SUMMARIES = script("read-summaries.lua", List.class);


	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisStoreSettings settings;

	private final long indexResolutionMillis;

	/** Whether the write scripts queue recall tasks; off until recall is enabled, so off costs nothing. */
	private volatile boolean recallTasks;

	RedisSessionScripts(StringRedisTemplate redis, RedisKeys keys, RedisStoreSettings settings,
			long indexResolutionMillis) {
		this.redis = redis;
		this.keys = keys;
		this.settings = settings;
		this.indexResolutionMillis = indexResolutionMillis;
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource(name, RedisSessionScripts.class), resultType);
	}

	/**
	 * A script with the function that queues recall tasks in front of it: Redis scripts
	 * cannot include one another, and every write that may queue a task must do it in its
	 * own script to be atomic with it.
	 */
	private static <T> RedisScript<T> scriptWithRecallTask(String name, Class<T> resultType) {
		try {
			return RedisScript.of(text("recall-task.lua") + "\n" + text(name), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Redis script " + name, ex);
		}
	}

	private static String text(String name) throws IOException {
		return new ClassPathResource(name, RedisSessionScripts.class).getContentAsString(StandardCharsets.UTF_8);
	}

	/** Have the write scripts queue recall tasks from now on. */
	void enableRecallTasks() {
		this.recallTasks = true;
	}

	/** Whether the write scripts queue recall tasks. */
	boolean recallTasksEnabled() {
		return this.recallTasks;
	}

	private String recallFlag() {
		return this.recallTasks ? "1" : "0";
	}

	/**
	 * Queue a rebuild of a session's recall vectors, whether or not the session exists.
	 * @return when the session's task was first queued
	 */
	@Nullable Long queueRecallRebuild(String sessionId) {
		return stamp(this.redis.execute(QUEUE_RECALL_REBUILD, List.of(this.keys.recallTask(sessionId))));
	}

	/**
	 * Record an indexer's progress on a session's recall task, checked against the stamp it
	 * read.
	 * @return whether the task is gone
	 */
	boolean completeRecallTask(String sessionId, long stamp, long indexedThroughSequence, boolean finished) {
		Long gone = this.redis.execute(COMPLETE_RECALL_TASK, List.of(this.keys.recallTask(sessionId)),
				Long.toString(stamp), Long.toString(indexedThroughSequence), finished ? "1" : "0");
		return gone == null || gone != 0;
	}

	private static @Nullable Long stamp(@Nullable Object queued) {
		return (queued == null || "".equals(queued)) ? null : Long.valueOf((String) queued);
	}

	/**
	 * Create a session unless its id is taken.
	 * @return whether the session was created
	 */
	boolean createSession(String id, String userId, String title, Map<String, Object> metadata, long now) {
		Long created = this.redis.execute(CREATE_SESSION, this.keys.session(id), userId, title,
				MetadataJson.write(metadata), Long.toString(now), ttlMillis());
		return created != null && created != 0;
	}

	/**
	 * Change a session's title or active flag.
	 * @return the fields of the updated meta hash, or {@code null} if the session does not
	 * exist or is not the owner's
	 * @throws SessionVersionConflictException if the update expects another version
	 */
	@Nullable Map<String, String> updateSession(String id, SessionUpdate update, long now, @Nullable String owner) {
		String active = (update.active() != null) ? (update.active() ? "1" : "0") : "";
		List<?> hash = this.redis.execute(UPDATE_SESSION, this.keys.session(id), (update.title() != null) ? "1" : "0",
				(update.title() != null) ? update.title() : "", active, Long.toString(now), ttlMillis(),
				orEmpty(owner), version(update.expectedVersion()));
		if (hash == null || hash.isEmpty()) {
			return null;
		}
		if (hash.size() == 2 && "VERSION".equals(hash.get(0))) {
			// a meta hash has many more fields: two values are the script's refusal
			throw new SessionVersionConflictException(id, update.expectedVersion(), Long.parseLong((String) hash.get(1)));
		}
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < hash.size(); i += 2) {
			fields.put((String) hash.get(i), (String) hash.get(i + 1));
		}
		return fields;
	}

	/**
	 * Delete a session, only if it belongs to the owner and, with a cutoff, only if it
	 * had no activity since.
	 */
	DeleteReply deleteSession(String id, @Nullable Instant cutoff, @Nullable String owner) {
		List<?> reply = this.redis.execute(DELETE_SESSION, this.keys.sessionWithRecallTask(id),
				(cutoff != null) ? Long.toString(cutoff.toEpochMilli()) : "", orEmpty(owner), recallFlag());
		String outcome = (reply != null) ? (String) reply.get(0) : "0";
		return switch (outcome) {
			case "1" -> new DeleteReply(DeleteOutcome.DELETED, nullIfEmpty((String) reply.get(1)), 0,
					stamp(reply.get(2)));
			case "2" -> new DeleteReply(DeleteOutcome.KEPT_FOR_ACTIVITY, nullIfEmpty((String) reply.get(1)),
					Long.parseLong((String) reply.get(2)), null);
			case "3" -> new DeleteReply(DeleteOutcome.NOT_OWNER, null, 0, null);
			default -> new DeleteReply(DeleteOutcome.MISSING, null, 0,
					(reply != null && reply.size() > 1) ? stamp(reply.get(1)) : null);
		};
	}

	/**
	 * Append messages to a session, or replace its messages, on the given connection.
	 * @param createdAt the creation time of messages stored now, {@code now} as an instant
	 */
	AppendReply append(RedisConnection connection, String sessionId, List<NewMessage> messages, long now,
			boolean createIfMissing, boolean replace, @Nullable String owner, @Nullable Long expectedVersion) {
		Instant createdAt = Instant.ofEpochMilli(now);
		List<String> keys = this.keys.sessionWithRecallTask(sessionId);
		byte[][] keysAndArgs = new byte[keys.size() + 9 + messages.size() * 6][];
		int i = 0;
		for (String key : keys) {
			keysAndArgs[i++] = bytes(key);
		}
		keysAndArgs[i++] = bytes(Long.toString(now));
		keysAndArgs[i++] = bytes(ttlMillis());
		keysAndArgs[i++] = bytes(Integer.toString(this.settings.maxHistory()));
		keysAndArgs[i++] = bytes(createIfMissing ? "1" : "0");
		keysAndArgs[i++] = bytes(replace ? "1" : "0");
		keysAndArgs[i++] = bytes(Long.toString(this.indexResolutionMillis));
		keysAndArgs[i++] = bytes(orEmpty(owner));
		keysAndArgs[i++] = bytes(version(expectedVersion));
		keysAndArgs[i++] = bytes(recallFlag());
		for (NewMessage message : messages) {
			Assert.notNull(message.id(), "Messages must have an id before they reach the store");
			keysAndArgs[i++] = bytes(message.id());
			keysAndArgs[i++] = bytes(message.role().name());
			keysAndArgs[i++] = bytes(orEmpty(message.responseTo()));
			keysAndArgs[i++] = bytes(StoredMessageCodec.fingerprint(message));
			keysAndArgs[i++] = bytes(StoredMessageCodec.write(message, createdAt));
			keysAndArgs[i++] = bytes(StoredMessageCodec.writeMedia(message.media()));
		}
		List<String> result = evalAppend(connection, keys.size(), keysAndArgs);
		String status = result.isEmpty() ? "NOSESSION" : result.get(0);
		switch (status) {
			case "OK" -> {
			}
			case "INACTIVE" -> {
				return AppendReply.failed(AppendStatus.INACTIVE, -1);
			}
			case "CONFLICT" -> {
				return AppendReply.failed(AppendStatus.CONFLICT, Integer.parseInt(result.get(1)) - 1);
			}
			case "NORESPONSETO" -> {
				return AppendReply.failed(AppendStatus.NO_RESPONSE_TO, Integer.parseInt(result.get(1)) - 1);
			}
			case "VERSION" -> {
				return new AppendReply(AppendStatus.VERSION, -1, null, false, List.of(),
						Long.parseLong(result.get(1)), null);
			}
			default -> {
				return AppendReply.failed(AppendStatus.NO_SESSION, -1);
			}
		}
		List<StoredMessage> stored = new ArrayList<>(messages.size());
		for (int m = 0; m < messages.size(); m++) {
			NewMessage message = messages.get(m);
			long sequence = Long.parseLong(result.get(4 + m * 3));
			String existingBody = result.get(5 + m * 3);
			stored.add(existingBody.isEmpty() ? toStored(sessionId, sequence, message, createdAt)
					: stored(sessionId, message, sequence, existingBody, "1".equals(result.get(6 + m * 3))));
		}
		// the version and the recall task's stamp come last, after each message's triple
		String written = result.get(result.size() - 2);
		long version = written.isEmpty() ? -1 : Long.parseLong(written);
		return new AppendReply(AppendStatus.OK, -1, nullIfEmpty(result.get(1)), "1".equals(result.get(3)), stored,
				version, stamp(result.get(result.size() - 1)));
	}

	/**
	 * Run the append script on the connection itself, by its SHA and by its text when
	 * Redis does not know it yet: the hot path skips the template's script executor and
	 * shares one connection with the index updates that follow.
	 */
	private static List<String> evalAppend(RedisConnection connection, int numKeys, byte[][] keysAndArgs) {
		Object reply;
		try {
			reply = connection.scriptingCommands().evalSha(APPEND.getSha1(), ReturnType.MULTI, numKeys, keysAndArgs);
		}
		catch (DataAccessException ex) {
			if (!String.valueOf(ex.getMostSpecificCause().getMessage()).contains("NOSCRIPT")) {
				throw ex;
			}
			reply = connection.scriptingCommands()
				.eval(bytes(APPEND.getScriptAsString()), ReturnType.MULTI, numKeys, keysAndArgs);
		}
		List<String> result = new ArrayList<>();
		if (reply instanceof List<?> values) {
			for (Object value : values) {
				result.add((value instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8)
						: String.valueOf(value));
			}
		}
		return result;
	}

	/**
	 * The message stored before under the id of a given one. The script does not send
	 * back media kept in a field of their own: it found them under the given message's
	 * fingerprint, so they are the given message's.
	 */
	private static StoredMessage stored(String sessionId, NewMessage given, long sequence, String body,
			boolean mediaField) {
		StoredMessage stored = StoredMessageCodec.read(sessionId, given.id(), sequence, body, "", true);
		if (!mediaField) {
			return stored;
		}
		return new StoredMessage(stored.id(), sessionId, sequence, stored.role(), stored.content(), stored.metadata(),
				stored.responseTo(), stored.toolCalls(), stored.toolResponses(), stored.createdAt(), given.media());
	}

	private static StoredMessage toStored(String sessionId, long sequence, NewMessage message, Instant createdAt) {
		return new StoredMessage(message.id(), sessionId, sequence, message.role(), message.content(),
				message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(), createdAt,
				message.media());
	}

	/**
	 * Read up to {@code limit} messages after or before a sequence in one reply of at
	 * most {@link #READ_BUDGET_BYTES}, in ascending order, with or without their media.
	 */
	ReadReply read(String sessionId, boolean forward, @Nullable Long bound, int limit, boolean withSystem,
			boolean includeMedia, boolean withSummary) {
		List<?> result = this.redis.execute(READ,
				List.of(this.keys.meta(sessionId), this.keys.messages(sessionId), this.keys.summaries(sessionId)),
				forward ? "after" : "before", (bound != null) ? bound.toString() : (forward ? "0" : ""),
				Integer.toString(limit), withSystem ? "1" : "0", Integer.toString(READ_BUDGET_BYTES),
				includeMedia ? "1" : "0", withSummary ? "1" : "0");
		if (result == null || !"1".equals(result.get(0))) {
			return new ReadReply(false, 0, null, List.of(), false, 0, 0, null);
		}
		long messageCount = Long.parseLong((String) result.get(1));
		int systemCount = Integer.parseInt((String) result.get(2));
		boolean more = "1".equals(result.get(3));
		long version = Long.parseLong((String) result.get(4));
		String summaryJson = (String) result.get(5);
		StoredSummary summary = summaryJson.isEmpty() ? null : StoredSummaryCodec.read(sessionId, summaryJson);
		StoredMessage system = (systemCount > 0) ? entry(sessionId, result, 6, includeMedia) : null;
		int first = 6 + systemCount * ENTRY_SIZE;
		int count = (result.size() - first) / ENTRY_SIZE;
		StoredMessage[] messages = new StoredMessage[count];
		long characters = 0;
		for (int i = 0; i < count; i++) {
			int offset = first + i * ENTRY_SIZE;
			characters += ((String) result.get(offset + 2)).length() + ((String) result.get(offset + 3)).length();
			// a backward read comes newest first; callers get ascending order
			messages[forward ? i : count - 1 - i] = entry(sessionId, result, offset, includeMedia);
		}
		return new ReadReply(true, messageCount, system, List.of(messages), more, characters, version, summary);
	}

	/**
	 * Find one message of a session by its id, with its media.
	 * @return the message, or {@code null} if the session holds none with that id
	 * @throws SessionNotFoundException if the session does not exist
	 */
	@Nullable StoredMessage findMessage(String sessionId, String messageId) {
		List<?> result = this.redis.execute(FIND_MESSAGE, this.keys.session(sessionId), messageId);
		if (result == null || !"1".equals(result.get(0))) {
			throw new SessionNotFoundException(sessionId);
		}
		return (result.size() < 4) ? null : StoredMessageCodec.read(sessionId, messageId,
				Long.parseLong((String) result.get(1)), (String) result.get(2), (String) result.get(3), true);
	}

	/**
	 * Record a branch of a session in the session's own slot.
	 * @return whether the session exists, so that the branch was recorded
	 */
	boolean addBranch(String sessionId, String branchId, long createdAt) {
		Long added = this.redis.execute(ADD_BRANCH, List.of(this.keys.meta(sessionId), this.keys.branches(sessionId)),
				branchId, Long.toString(createdAt));
		return added != null && added != 0;
	}

	private static StoredMessage entry(String sessionId, List<?> result, int offset, boolean includeMedia) {
		return StoredMessageCodec.read(sessionId, (String) result.get(offset + 1),
				Long.parseLong((String) result.get(offset)), (String) result.get(offset + 2),
				(String) result.get(offset + 3), includeMedia);
	}

	/**
	 * Remove all messages of a session that belongs to the owner.
	 */
	ClearReply clearMessages(String sessionId, long now, @Nullable String owner) {
		List<?> reply = this.redis.execute(CLEAR_MESSAGES, this.keys.sessionWithRecallTask(sessionId),
				Long.toString(now), ttlMillis(), orEmpty(owner), recallFlag());
		if (reply == null || !"1".equals(reply.get(0))) {
			return new ClearReply(false, null, null);
		}
		return new ClearReply(true, nullIfEmpty((String) reply.get(1)), stamp(reply.get(3)));
	}

	/**
	 * Write a session with its messages and summaries exactly as given, in one script,
	 * replacing an existing one only when asked to and only if it belongs to the owner.
	 */
	ImportReply importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		// a session keeps its newest summaries, each of which the newer ones extend
		List<StoredSummary> kept = summaries.subList(Math.max(0, summaries.size() - StoredSummary.MAX_PER_SESSION),
				summaries.size());
		List<String> args = new ArrayList<>(12 + kept.size() + messages.size() * 6);
		args.add(replaceExisting ? "1" : "0");
		args.add(orEmpty(session.userId()));
		args.add(session.title());
		args.add(MetadataJson.write(session.metadata()));
		args.add(session.active() ? "1" : "0");
		args.add(Long.toString(session.createdAt().toEpochMilli()));
		args.add(Long.toString(session.updatedAt().toEpochMilli()));
		args.add(ttlMillis());
		args.add(orEmpty(owner));
		args.add(version(expectedVersion));
		args.add(recallFlag());
		args.add(Integer.toString(kept.size()));
		kept.forEach((summary) -> args.add(StoredSummaryCodec.write(summary)));
		for (StoredMessage message : messages) {
			args.add(Long.toString(message.sequence()));
			args.add(message.id());
			args.add(message.role().name());
			args.add(StoredMessageCodec.fingerprint(message));
			args.add(StoredMessageCodec.write(message));
			args.add(StoredMessageCodec.writeMedia(message.media()));
		}
		List<?> reply = this.redis.execute(IMPORT_SESSION, this.keys.sessionWithRecallTask(session.id()),
				args.toArray());
		String status = (reply != null) ? (String) reply.get(0) : "CONFLICT";
		return switch (status) {
			case "OK" -> new ImportReply(ImportStatus.OK, nullIfEmpty((String) reply.get(1)),
					Long.parseLong((String) reply.get(2)), stamp(reply.get(3)));
			case "NOTOWNER" -> new ImportReply(ImportStatus.NOT_OWNER, null, 0, null);
			case "VERSION" -> new ImportReply(ImportStatus.VERSION, null, Long.parseLong((String) reply.get(1)), null);
			default -> new ImportReply(ImportStatus.CONFLICT, null, 0, null);
		};
	}

	/**
	 * Store a summary as the session's newest if the session, what it extends and what it
	 * covers are unchanged.
	 * @return the script's outcome: STORED, NOSESSION, PREVIOUS or MESSAGES
	 */
	String saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		String reply = this.redis.execute(SAVE_SUMMARY, this.keys.session(summary.sessionId()),
				orEmpty(summary.extendsId()), Long.toString(summary.toSequence()), summary.toMessageId(),
				StoredSummaryCodec.write(summary), Integer.toString(StoredSummary.MAX_PER_SESSION),
				Long.toString(sessionCreatedAt.toEpochMilli()),
				(sessionVersion == Long.MAX_VALUE) ? "" : Long.toString(sessionVersion));
		return (reply != null) ? reply : "NOSESSION";
	}

	/**
	 * Read summaries of a session, newest first, from index {@code first} to {@code last}.
	 * @return {@code null} if the session does not exist
	 */
	@Nullable PagedSummaries readSummaries(String sessionId, long first, long last) {
		List<?> reply = this.redis.execute(READ_SUMMARIES,
				List.of(this.keys.meta(sessionId), this.keys.summaries(sessionId)), Long.toString(first),
				Long.toString(last));
		if (reply == null || "0".equals(reply.get(0))) {
			return null;
		}
		List<StoredSummary> summaries = new ArrayList<>(reply.size() - 2);
		for (int i = 2; i < reply.size(); i++) {
			summaries.add(StoredSummaryCodec.read(sessionId, (String) reply.get(i)));
		}
		return new PagedSummaries(Long.parseLong((String) reply.get(1)), summaries);
	}

	/**
	 * A page of summaries with their total number.
	 */
	record PagedSummaries(long total, List<StoredSummary> summaries) {
	}

	private String ttlMillis() {
		Duration ttl = this.settings.timeToLive();
		return (ttl != null) ? Long.toString(ttl.toMillis()) : "0";
	}

	private static String version(@Nullable Long expectedVersion) {
		return (expectedVersion != null) ? expectedVersion.toString() : "";
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	static @Nullable String nullIfEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What the delete script did.
	 */
	enum DeleteOutcome {

		/** The session was deleted. */
		DELETED,

		/** The session had activity after the cutoff and was kept. */
		KEPT_FOR_ACTIVITY,

		/** The session belongs to another user. */
		NOT_OWNER,

		/** The session was not there (never was, expired or evicted). */
		MISSING

	}

	/**
	 * The reply of the delete script.
	 *
	 * @param outcome what the script did
	 * @param userId the session's owner, when it was deleted or kept
	 * @param activity the session's last activity in epoch milliseconds, when kept
	 * @param recallTaskQueued when the recall task this delete queued or extended was first
	 * queued, if it queued one
	 */
	record DeleteReply(DeleteOutcome outcome, @Nullable String userId, long activity,
			@Nullable Long recallTaskQueued) {
	}

	/**
	 * How an append ended.
	 */
	enum AppendStatus {

		/** The messages are stored. */
		OK,

		/** The session does not exist or is another user's. */
		NO_SESSION,

		/** The session is deactivated. */
		INACTIVE,

		/** A known message id came with a different message. */
		CONFLICT,

		/** A message responds to a message that is not in the session. */
		NO_RESPONSE_TO,

		/** The session is at another version than expected. */
		VERSION

	}

	/**
	 * The reply of the append script.
	 *
	 * @param status how the append ended; nothing is written unless it is {@code OK}
	 * @param messageIndex the zero-based index of the message a {@code CONFLICT} or
	 * {@code NO_RESPONSE_TO} is about, otherwise -1
	 * @param userId the session's owner
	 * @param indexDue whether the activity indexes should be told of this write
	 * @param stored the stored messages, one for each given message
	 * @param version the session's version after the append, -1 when the append wrote
	 * nothing (a retry), or its current version when the status is {@code VERSION}
	 * @param recallTaskQueued when the recall task this append queued or extended was first
	 * queued, if it queued one
	 */
	record AppendReply(AppendStatus status, int messageIndex, @Nullable String userId, boolean indexDue,
			List<StoredMessage> stored, long version, @Nullable Long recallTaskQueued) {

		static AppendReply failed(AppendStatus status, int messageIndex) {
			return new AppendReply(status, messageIndex, null, false, List.of(), 0, null);
		}

	}

	/**
	 * The reply of one read script call.
	 *
	 * @param exists whether the session exists
	 * @param messageCount how many messages the session holds
	 * @param system the pinned system message, when asked for and present
	 * @param messages the messages read, in ascending sequence order
	 * @param more whether the read stopped at the byte budget before the limit
	 * @param characters the characters of the messages' bodies and media in the reply
	 * @param version the session's version
	 * @param summary the session's latest summary, when asked for and present
	 */
	record ReadReply(boolean exists, long messageCount, @Nullable StoredMessage system, List<StoredMessage> messages,
			boolean more, long characters, long version, @Nullable StoredSummary summary) {
	}

	/**
	 * The reply of the clear script.
	 *
	 * @param cleared whether the session existed, was the owner's and was cleared
	 * @param userId the session's owner
	 * @param recallTaskQueued when the recall task this clear queued or extended was first
	 * queued, if it queued one
	 */
	record ClearReply(boolean cleared, @Nullable String userId, @Nullable Long recallTaskQueued) {
	}

	/**
	 * How an import ended.
	 */
	enum ImportStatus {

		/** The session was written. */
		OK,

		/** The id is taken and replacing was not asked for. */
		CONFLICT,

		/** The session to replace is another user's, or is missing while a version is expected. */
		NOT_OWNER,

		/** The session to replace is at another version than expected. */
		VERSION

	}

	/**
	 * The reply of the import script.
	 *
	 * @param status how the import ended
	 * @param previousUserId the owner of the session that was replaced, if any
	 * @param version the written session's version, or the current version of the session
	 * when the status is {@code VERSION}
	 * @param recallTaskQueued when the recall task this import queued or extended was first
	 * queued, if it queued one
	 */
	record ImportReply(ImportStatus status, @Nullable String previousUserId, long version,
			@Nullable Long recallTaskQueued) {
	}

}
