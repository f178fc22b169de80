package io.github.chatmemory.store.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.store.RecallTask;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code recall_task} table: at most one task per session, which a write queues or
 * merges into with one statement, and which an indexer reads oldest first and completes
 * by its stamp. Transactions are the caller's: a task is written in the transaction of
 * the write that needs it.
 */
final class JdbcRecallQueue {

	/** The first sequence of a rebuild, which indexes the session from its start. */
	private static final long FROM_START = 1;

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final String table;

	private final @Nullable String stampBefore;

	private final @Nullable String stampAfter;

	private final @Nullable String upsert;

	private final String update;

	private final String insert;

	JdbcRecallQueue(JdbcClient jdbc, JdbcTemplate template, JdbcStoreSettings settings) {
		JdbcDialect dialect = settings.dialect();
		String source = settings.table("recall_stamp");
		String stamp = dialect.recallStamp(source);
		this.jdbc = jdbc;
		this.template = template;
		this.table = settings.table("recall_task");
		this.stampBefore = dialect.recallStampBefore(source);
		this.stampAfter = dialect.recallStampAfter(source);
		this.upsert = dialect.upsertRecallTask(this.table, stamp);
		this.update = "UPDATE " + this.table + " SET stamp = " + stamp + ", from_seq = CASE WHEN from_seq < ? "
				+ "THEN from_seq ELSE ? END, rebuild = CASE WHEN rebuild > ? THEN rebuild ELSE ? END "
				+ "WHERE session_id = ?";
		this.insert = "INSERT INTO " + this.table + " (session_id, stamp, from_seq, rebuild, queued_at) VALUES (?, "
				+ stamp + ", ?, ?, ?)";
	}

	/**
	 * Queue a task for the messages of a session from a sequence on, or merge it into the
	 * session's task.
	 * @param sessionId the session
	 * @param fromSequence the first new sequence
	 * @param queuedAt now, in epoch milliseconds
	 */
	void queueFrom(String sessionId, long fromSequence, long queuedAt) {
		queue(List.of(sessionId), fromSequence, false, queuedAt);
	}

	/**
	 * Queue a rebuild of sessions, or turn their tasks into rebuilds, with one batch.
	 * @param sessionIds the sessions
	 * @param queuedAt now, in epoch milliseconds
	 */
	void queueRebuild(List<String> sessionIds, long queuedAt) {
		queue(sessionIds, FROM_START, true, queuedAt);
	}

	private void queue(List<String> sessionIds, long fromSequence, boolean rebuild, long queuedAt) {
		if (sessionIds.isEmpty()) {
			return;
		}
		// one new stamp for the batch is enough: a stamp must not repeat for a session, and
		// each session is once in the batch
		if (this.stampBefore != null) {
			this.jdbc.sql(this.stampBefore).update();
		}
		int flag = rebuild ? 1 : 0;
		if (this.upsert != null && sessionIds.size() == 1) {
			// a write's own task: one statement, no batch
			this.jdbc.sql(this.upsert).params(sessionIds.get(0), fromSequence, flag, queuedAt).update();
		}
		else if (this.upsert != null) {
			List<Object[]> rows = new ArrayList<>(sessionIds.size());
			for (String sessionId : sessionIds) {
				rows.add(new Object[] { sessionId, fromSequence, flag, queuedAt });
			}
			this.template.batchUpdate(this.upsert, rows);
		}
		else {
			for (String sessionId : sessionIds) {
				updateOrInsert(sessionId, fromSequence, flag, queuedAt);
			}
		}
		if (this.stampAfter != null) {
			this.jdbc.sql(this.stampAfter).update();
		}
	}

	/**
	 * Merge into the session's task, else insert one: H2, where a failed insert leaves the
	 * transaction usable. A writer that holds no lock of the session (a re-index, or a
	 * write of a session that was just deleted) may insert in between, or an indexer
	 * remove the task: the loop tries again.
	 */
	private void updateOrInsert(String sessionId, long fromSequence, int rebuild, long queuedAt) {
		for (int attempt = 1;; attempt++) {
			if (this.jdbc.sql(this.update)
				.params(fromSequence, fromSequence, rebuild, rebuild, sessionId)
				.update() > 0) {
				return;
			}
			try {
				this.jdbc.sql(this.insert).params(sessionId, fromSequence, rebuild, queuedAt).update();
				return;
			}
			catch (DuplicateKeyException ex) {
				if (attempt == 10) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Read the oldest tasks, along the {@code (queued_at, session_id)} index.
	 * @param limit the most tasks
	 * @return the tasks
	 */
	List<RecallTask> find(int limit) {
		return this.jdbc.sql(findSql())
			.param(limit)
			.query((rs, rowNum) -> new RecallTask(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4) != 0))
			.list();
	}

	/**
	 * The statement that reads the oldest tasks.
	 */
	String findSql() {
		return "SELECT session_id, stamp, from_seq, rebuild FROM " + this.table
				+ " ORDER BY queued_at, session_id LIMIT ?";
	}

	/**
	 * Record an indexer's progress, as {@code ChatMemoryStore.completeRecallTask} says:
	 * each statement decides by the stamp in the row it changes, so a write merged in
	 * between is never lost.
	 * @return whether the task is gone
	 */
	boolean complete(RecallTask task, long indexedThroughSequence, boolean finished) {
		if (finished && this.jdbc.sql("DELETE FROM " + this.table + " WHERE session_id = ? AND stamp = ?")
			.params(task.sessionId(), task.stamp())
			.update() > 0) {
			return true;
		}
		long next = indexedThroughSequence + 1;
		// from_seq first: MariaDB and MySQL assign left to right, each on the updated row
		int updated = this.jdbc
			.sql("UPDATE " + this.table + " SET from_seq = CASE WHEN rebuild = 1 AND stamp = ? THEN ? "
					+ "WHEN rebuild = 0 AND from_seq < ? THEN ? ELSE from_seq END, "
					+ "rebuild = CASE WHEN stamp = ? THEN 0 ELSE rebuild END WHERE session_id = ?")
			.params(task.stamp(), next, next, next, task.stamp(), task.sessionId())
			.update();
		return updated == 0;
	}

	/**
	 * Count the tasks.
	 * @return how many sessions wait for indexing
	 */
	long count() {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + this.table).query(Long.class).single();
	}

}
