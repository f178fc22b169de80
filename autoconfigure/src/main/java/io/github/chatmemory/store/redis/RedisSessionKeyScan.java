package io.github.chatmemory.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * Finds the sessions that have a given key, such as their meta hash or their recall task,
 * with {@code SCAN} on every master of a Cluster (never {@code KEYS}), handing their ids
 * on in bounded batches: the maintenance walks that look at the keys themselves rather
 * than at derived indexes.
 */
final class RedisSessionKeyScan {

	private final int batchSize;

	RedisSessionKeyScan(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * Hand on the ids of the sessions that have a key, a batch at a time; a session may
	 * come twice when Redis rehashes during the scan.
	 * @param connection the connection to scan on
	 * @param sessionKey the key of a session given its id, such as {@link RedisKeys#meta}
	 * @param batch what to do with each batch of ids
	 * @return how many keys were found
	 */
	long forEachBatch(RedisConnection connection, Function<String, String> sessionKey,
			Consumer<List<String>> batch) {
		// the key of the session with an empty id, split around its empty tag
		String empty = sessionKey.apply("");
		int tag = empty.indexOf("{s:}");
		String before = empty.substring(0, tag + "{s:".length());
		String after = empty.substring(tag + "{s:".length());
		ScanOptions options = ScanOptions.scanOptions()
			.match(escapeGlob(before) + "*" + escapeGlob(after))
			.count(this.batchSize)
			.build();
		long found = 0;
		if (connection instanceof RedisClusterConnection cluster) {
			for (RedisClusterNode node : cluster.clusterGetNodes()) {
				if (node.isMaster()) {
					try (Cursor<byte[]> cursor = cluster.scan(node, options)) {
						found += forEachBatch(cursor, before, after, batch);
					}
				}
			}
			return found;
		}
		try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
			return forEachBatch(cursor, before, after, batch);
		}
	}

	private long forEachBatch(Cursor<byte[]> cursor, String before, String after, Consumer<List<String>> batch) {
		long found = 0;
		List<String> ids = new ArrayList<>(this.batchSize);
		while (cursor.hasNext()) {
			String key = new String(cursor.next(), StandardCharsets.UTF_8);
			if (key.length() >= before.length() + after.length()) {
				ids.add(key.substring(before.length(), key.length() - after.length()));
			}
			if (ids.size() == this.batchSize || !cursor.hasNext()) {
				found += ids.size();
				batch.accept(ids);
				ids = new ArrayList<>(this.batchSize);
			}
		}
		if (!ids.isEmpty()) {
			found += ids.size();
			batch.accept(ids);
		}
		return found;
	}

	private static String escapeGlob(String value) {
		StringBuilder escaped = new StringBuilder(value.length());
		for (char c : value.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
