package io.github.chatmemory.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A lease in the database that lets one instance at a time run a scheduled retention
 * cleanup, as {@code RedisRetentionLock} does in Redis: taken by one conditional
 * {@code UPDATE} (or the first {@code INSERT}) of the lease row, released by an update
 * that only its holder's token matches. Each is one short auto-committed statement, so
 * no instance ever waits on another; the lease bounds how long a crashed holder keeps the
 * others out.
 */
public final class JdbcRetentionLock {

	private static final String NAME = "retention";

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
		this(dataSource, settings, lease, Clock.systemUTC());
	}

	JdbcRetentionLock(DataSource dataSource, JdbcStoreSettings settings, Duration lease, Clock clock) {
		JdbcTemplate template = new JdbcTemplate(dataSource);
		template.setQueryTimeout(settings.timeoutSeconds());
		this.jdbc = JdbcClient.create(template);
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
				.params(NAME, token)
				.update();
		}
	}

	private boolean acquire(String token) {
		long now = this.clock.millis();
		long expiresAt = now + this.lease.toMillis();
		if (this.jdbc.sql("UPDATE " + table() + " SET holder = ?, expires_at = ? WHERE name = ? AND expires_at <= ?")
			.params(token, expiresAt, NAME, now)
			.update() > 0) {
			return true;
		}
		try {
			return this.jdbc
				.sql(this.settings.dialect()
					.insertIfAbsent("INSERT INTO " + table() + " (name, holder, expires_at) VALUES (?, ?, ?)"))
				.params(NAME, token, expiresAt)
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
