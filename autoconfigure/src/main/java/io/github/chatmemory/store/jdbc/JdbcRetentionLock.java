package io.github.chatmemory.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A lease in the database that lets one instance at a time run a scheduled retention
 * cleanup, or another job named by the lease row's name, such as recall indexing, as {@code RedisRetentionLock} does in Redis: taken by one conditional
 * {@code UPDATE} (or the first {@code INSERT}) of the lease row, released by an update
 * that only its holder's token matches. Each is one short auto-committed statement, so
 * no instance ever waits on another; the lease bounds how long a crashed holder keeps the
 * others out.
 */
public final class JdbcRetentionLock {

	private static final String RETENTION = "retention";

	private final String name;

	private final JdbcClient jdbc;

	private final JdbcStoreSettings settings;

	private final Duration lease;

	private final Clock clock;

	/**
	 * Create a lock in the store's lease table.
	 * @param dataSource the data source
	 * @param settings the store's settings
	 * @param lease the longest the lock is held if its holder never releases it
	 */
	public JdbcRetentionLock(DataSource dataSource, JdbcStoreSettings settings, Duration lease) {
		this(dataSource, settings, RETENTION, lease, Clock.systemUTC());
	}

	/**
	 * Create a lock of a named job in the store's lease table, held in the row of that name.
	 * @param dataSource the data source
	 * @param settings the store's settings
	 * @param name the job's name, such as {@code recall-indexer}
	 * @param lease the longest the lock is held if its holder never releases it
	 */
	public JdbcRetentionLock(DataSource dataSource, JdbcStoreSettings settings, String name, Duration lease) {
		this(dataSource, settings, name, lease, Clock.systemUTC());
	}

	JdbcRetentionLock(DataSource dataSource, JdbcStoreSettings settings, Duration lease, Clock clock) {
		this(dataSource, settings, RETENTION, lease, clock);
	}

	JdbcRetentionLock(DataSource dataSource, JdbcStoreSettings settings, String name, Duration lease, Clock clock) {
		this.name = name;
		this.jdbc = JdbcClient.create(settings.template(dataSource));
		this.settings = settings;
		this.lease = lease;
		this.clock = clock;
	}

	/**
	 * Run a task while holding the lock, or not at all if another holder has it.
	 * @param task the task
	 * @return whether the task ran
	 */
	public boolean runExclusively(Runnable task) {
		String token = UUID.randomUUID().toString();
		if (!acquire(token)) {
			return false;
		}
		try {
			task.run();
			return true;
		}
		finally {
			this.jdbc.sql("UPDATE " + table() + " SET expires_at = 0 WHERE name = ? AND holder = ?")
				.params(this.name, token)
				.update();
		}
	}

	private boolean acquire(String token) {
		long now = this.clock.millis();
		long expiresAt = now + this.lease.toMillis();
		if (this.jdbc.sql("UPDATE " + table() + " SET holder = ?, expires_at = ? WHERE name = ? AND expires_at <= ?")
			.params(token, expiresAt, this.name, now)
			.update() > 0) {
			return true;
		}
		try {
			return this.jdbc
				.sql(this.settings.dialect()
					.insertIfAbsent("INSERT INTO " + table() + " (name, holder, expires_at) VALUES (?, ?, ?)"))
				.params(this.name, token, expiresAt)
				.update() > 0;
		}
		catch (DuplicateKeyException ex) {
			// another instance took it first
			return false;
		}
	}

	private String table() {
		return this.settings.table("lease");
	}

}
