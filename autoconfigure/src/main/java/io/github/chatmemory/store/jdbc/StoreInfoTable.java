package io.github.chatmemory.store.jdbc;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code store_info} table: named values of the store as a whole, such as the schema
 * version and the last retention run.
 */
final class StoreInfoTable {

	private final JdbcClient jdbc;

	private final JdbcStoreSettings settings;

	StoreInfoTable(JdbcClient jdbc, JdbcStoreSettings settings) {
		this.jdbc = jdbc;
		this.settings = settings;
	}

	Optional<String> read(String name) {
		return this.jdbc.sql("SELECT info_value FROM " + this.settings.table("store_info") + " WHERE name = ?")
			.param(name)
			.query(String.class)
			.optional();
	}

	/**
	 * Write a value: one atomic statement either way, so two instances writing at once
	 * leave one of their values, never an error.
	 */
	void write(String name, String value) {
		String table = this.settings.table("store_info");
		if (this.jdbc.sql("UPDATE " + table + " SET info_value = ? WHERE name = ?").params(value, name).update() > 0) {
			return;
		}
		try {
			if (this.jdbc
				.sql(this.settings.dialect()
					.insertIfAbsent("INSERT INTO " + table + " (name, info_value) VALUES (?, ?)"))
				.params(name, value)
				.update() > 0) {
				return;
			}
		}
		catch (DuplicateKeyException ex) {
			// another instance inserted it first: update it as any later write would
		}
		this.jdbc.sql("UPDATE " + table + " SET info_value = ? WHERE name = ?").params(value, name).update();
	}

}
