package io.github.chatmemory.test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A local three-master Redis Cluster with the connection factory Spring Boot makes for it
 * from {@code spring.data.redis.cluster.nodes}, as an application would configure it.
 */
public final class TestRedisCluster implements AutoCloseable {

	private static TestRedisCluster shared;

	private final RedisClusterProcess cluster;

	private final ConfigurableApplicationContext context;

	private TestRedisCluster(RedisClusterProcess cluster, ConfigurableApplicationContext context) {
		this.cluster = cluster;
		this.context = context;
	}

	/**
	 * Return the cluster shared by the store tests of this JVM, started on first use and
	 * stopped when the JVM ends; tests isolate their data with a random key prefix.
	 * @return the running cluster
	 */
	public static synchronized TestRedisCluster shared() {
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
		}
		return shared;
	}

	/**
	 * Start a cluster and a connection factory for it.
	 * @return the running cluster
	 */
	public static TestRedisCluster start() {
		RedisClusterProcess cluster = RedisClusterProcess.start();
		try {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(RedisOnly.class)
				.web(WebApplicationType.NONE)
				.properties("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.timeout=5s")
				.run();
			return new TestRedisCluster(cluster, context);
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Return Spring Boot's connection factory for the cluster.
	 * @return the connection factory
	 */
	public RedisConnectionFactory connectionFactory() {
		return this.context.getBean(RedisConnectionFactory.class);
	}

	@Override
	public void close() {
		try {
			this.context.close();
		}
		finally {
			this.cluster.close();
		}
	}

	/**
	 * Only Spring Boot's Redis auto-configuration, for the connection factory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class RedisOnly {

	}

}
