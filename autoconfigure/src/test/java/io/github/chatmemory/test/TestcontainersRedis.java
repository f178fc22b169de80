package io.github.chatmemory.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A Redis container, used only when neither a URL nor {@code redis-server} is available
 * and Docker is.
 */
final class TestcontainersRedis {

	private TestcontainersRedis() {
	}

	static TestRedis.Endpoint startIfDockerAvailable() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			return null;
		}
		GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
		return new TestRedis.Endpoint(container.getHost(), container.getMappedPort(6379), "Testcontainers");
	}

}
