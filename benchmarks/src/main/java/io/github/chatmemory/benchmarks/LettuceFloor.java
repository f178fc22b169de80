package io.github.chatmemory.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The floor: raw Lettuce issuing the fewest commands that could do each job on a Redis
 * stream: {@code XADD} (with {@code MAXLEN} when the history is bounded) to append,
 * {@code XREVRANGE ... COUNT n} to read the newest messages. No ids, no dedupe, no
 * metadata, no token counting.
 */
final class LettuceFloor implements MemoryUnderTest {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> redis;

	private final String prefix;

	private long maxLength;

	private int tokenWindowMessages = 1;

	LettuceFloor(String host, int port, String prefix) {
		this.client = RedisClient.create("redis://" + host + ":" + port);
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
		this.prefix = prefix;
	}

	/**
	 * Bound the stream as the other systems bound their history, and say how many
	 * messages the token window holds, so its read asks for exactly those.
	 */
	void bound(long maxLength, int tokenWindowMessages) {
		this.maxLength = maxLength;
		this.tokenWindowMessages = Math.max(1, tokenWindowMessages);
	}

	private String key(String conversation) {
		return this.prefix + "{" + conversation + "}:floor";
	}

	@Override
	public void prepare(String conversation, int history) {
		String key = key(conversation);
		this.redis.del(key);
		RedisAsyncCommands<String, String> async = this.connection.async();
		List<RedisFuture<String>> pending = new ArrayList<>();
		for (int i = 0; i < history; i++) {
			pending.add(async.xadd(key, "m", Texts.message(i)));
			if (pending.size() == 1000 || i == history - 1) {
				pending.forEach((future) -> future.toCompletableFuture().join());
				pending.clear();
			}
		}
	}

	@Override
	public void append(String conversation, String text) {
		XAddArgs args = (this.maxLength > 0) ? XAddArgs.Builder.maxlen(this.maxLength) : new XAddArgs();
		this.redis.xadd(key(conversation), args, "m", text);
	}

	@Override
	public int readMessageWindow(String conversation) {
		return this.redis.xrevrange(key(conversation), Range.create("-", "+"), Limit.from(Texts.WINDOW_MESSAGES)).size();
	}

	@Override
	public int readTokenWindow(String conversation) {
		return this.redis.xrevrange(key(conversation), Range.create("-", "+"), Limit.from(this.tokenWindowMessages))
			.size();
	}

	@Override
	public void chatTurn(String conversation, String user, String answer) {
		readMessageWindow(conversation);
		append(conversation, user);
		append(conversation, answer);
	}

	@Override
	public long count(String conversation) {
		return this.redis.xlen(key(conversation));
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
