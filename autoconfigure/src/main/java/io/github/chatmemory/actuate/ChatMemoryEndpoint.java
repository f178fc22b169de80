package io.github.chatmemory.actuate;

import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryStatistics;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code chatmemory} actuator endpoint: statistics and the effective configuration,
 * never message content.
 */
@Endpoint(id = "chatmemory")
public class ChatMemoryEndpoint {

	private final ChatMemoryManager manager;

	private final Map<String, Object> configuration;

	/**
	 * Create the endpoint.
	 * @param manager the manager
	 * @param configuration the effective configuration to show
	 */
	public ChatMemoryEndpoint(ChatMemoryManager manager, Map<String, Object> configuration) {
		this.manager = manager;
		this.configuration = Map.copyOf(configuration);
	}

	@ReadOperation
	public ChatMemoryDescriptor chatMemory() {
		return new ChatMemoryDescriptor(this.manager.getStatistics(), this.configuration);
	}

	/**
	 * What the endpoint shows.
	 *
	 * @param statistics the statistics
	 * @param configuration the effective configuration
	 */
	public record ChatMemoryDescriptor(ChatMemoryStatistics statistics, Map<String, Object> configuration) {
	}

}
