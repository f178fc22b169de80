package io.github.chatmemory.test;

import java.net.URI;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The real Redis that integration tests use, found in this order: the URL in
 * {@code CHAT_MEMORY_TEST_REDIS_URL}; a private {@code redis-server} started on a free
 * port; a Testcontainers Redis where Docker is available. Without any of them the tests
 * fail and say how to provide Redis: a Redis test never passes without Redis.
 */
public final class TestRedis {

	/** The environment variable that points the tests at an existing Redis. */
	public static final String URL_VARIABLE = "CHAT_MEMORY_TEST_REDIS_URL";

	private static Endpoint shared;

	private static LettuceConnectionFactory sharedConnectionFactory;

	private TestRedis() {
	}

	/**
	 * Return the Redis shared by the tests of this JVM, finding or starting it on first
	 * use.
	 * @return the endpoint
	 */
	public static synchronized Endpoint endpoint() {
		if (shared == null) {
			shared = find();
		}
		return shared;
	}

	/**
	 * Return a started connection factory for the shared Redis, kept for the whole test
	 * JVM; tests isolate their data with a random key prefix, never by flushing.
	 * @return the shared connection factory
	 */
	public static synchronized LettuceConnectionFactory sharedConnectionFactory() {
		if (sharedConnectionFactory == null) {
			sharedConnectionFactory = connectionFactory();
			Runtime.getRuntime().addShutdownHook(new Thread(sharedConnectionFactory::destroy));
		}
		return sharedConnectionFactory;
	}

	/**
	 * Create a started connection factory for the shared Redis.
	 * @return the connection factory; the caller destroys it
	 */
	public static LettuceConnectionFactory connectionFactory() {
		Endpoint endpoint = endpoint();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static Endpoint find() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url.trim());
			return new Endpoint(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 6379, "env " + URL_VARIABLE);
		}
		if (RedisServerProcess.isInstalled()) {
			RedisServerProcess process = RedisServerProcess.start();
			Runtime.getRuntime().addShutdownHook(new Thread(process::stop));
			return new Endpoint("127.0.0.1", process.port(), "private redis-server");
		}
		Endpoint container = TestcontainersRedis.startIfDockerAvailable();
		if (container != null) {
			return container;
		}
		throw new IllegalStateException("No Redis for the integration tests: set " + URL_VARIABLE
				+ "=redis://host:port, install redis-server (e.g. apt-get install redis-server), or run Docker");
	}

	/**
	 * Where the test Redis listens.
	 *
	 * @param host the host
	 * @param port the port
	 * @param source how it was found
	 */
	public record Endpoint(String host, int port, String source) {
	}

}
