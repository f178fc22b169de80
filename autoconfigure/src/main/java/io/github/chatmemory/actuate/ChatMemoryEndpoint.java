package io.github.chatmemory.actuate;

import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code chatmemory} actuator endpoint: statistics and the effective configuration,
 * never message content, and the {@value #RECALL_REINDEX} operation that rebuilds the
 * semantic recall vectors of one user or of everyone.
 */
@Endpoint(id = "chatmemory")
public class ChatMemoryEndpoint {

	/** The write operation that rebuilds recall vectors: {@code POST /actuator/chatmemory/recall-reindex}. */
	public static final String RECALL_REINDEX = "recall-reindex";

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
	 * Run a write operation; {@value #RECALL_REINDEX} is the only one. It removes the recall
	 * vectors of a user's sessions, or of every session without a user, and queues them
	 * for indexing again, which runs in the background.
	 * @param operation the operation, {@value #RECALL_REINDEX}
	 * @param user the user whose sessions are re-indexed, or {@code null} for every session
	 * @return what was queued, or that recall is off
	 */
	@WriteOperation
	public RecallReindex write(@Selector String operation, @Nullable String user) {
		if (!RECALL_REINDEX.equals(operation)) {
			throw new InvalidEndpointRequestException("Unknown operation '" + operation + "'",
					"Unknown operation; the only write operation is " + RECALL_REINDEX);
		}
		if (!this.manager.isRecallEnabled()) {
			return new RecallReindex(false, user, 0, "Semantic recall is not enabled: it needs an EmbeddingModel "
					+ "bean and chat-memory.recall.enabled=true; nothing was re-indexed");
		}
		long sessions;
		try {
			sessions = this.manager.reindexRecall(user);
		}
		catch (ChatMemoryValidationException ex) {
			// a 400 naming the field rather than the 500 of an unexpected error
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
		}
		return new RecallReindex(true, user, sessions, "Queued " + sessions + " session(s) for indexing"
				+ ((user != null) ? " of user '" + user + "'" : "") + "; indexing runs in the background");
	}

	/**
	 * The answer of {@value #RECALL_REINDEX}.
	 *
	 * @param recallEnabled whether semantic recall is on; when off nothing was done
	 * @param user the user re-indexed, or {@code null} for every user
	 * @param queuedSessions how many sessions were queued for indexing
	 * @param message what was done, in words
	 */
	public record RecallReindex(boolean recallEnabled, @Nullable String user, long queuedSessions, String message) {
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
