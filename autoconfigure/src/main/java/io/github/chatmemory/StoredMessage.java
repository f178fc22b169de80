package io.github.chatmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.chatmemory.support.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * A message as the store keeps it: with its id, its place in the session and its time.
 *
 * @param id the message id, unique within its session
 * @param sessionId the session (Spring AI conversation) the message belongs to
 * @param sequence the position in the session, strictly increasing, assigned by the store
 * @param role the author of the message
 * @param content the text content, empty for tool responses and pure tool-call messages
 * @param metadata arbitrary JSON-compatible metadata
 * @param responseTo the id of the message this one answers, if any
 * @param toolCalls the tool calls of an assistant message
 * @param toolResponses the tool responses of a tool message
 * @param createdAt when the store received the message
 * @param media the media attachments of a user or assistant message
 */
public record StoredMessage(String id, String sessionId, long sequence, MessageRole role, String content,
		Map<String, Object> metadata, @Nullable String responseTo, List<ToolCall> toolCalls,
		List<ToolResponse> toolResponses, Instant createdAt, List<MessageMedia> media) {

	public StoredMessage {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(sessionId, "sessionId");
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(content, "content");
		Objects.requireNonNull(createdAt, "createdAt");
		metadata = JsonValues.immutableCopy(metadata);
		toolCalls = List.copyOf(toolCalls);
		toolResponses = List.copyOf(toolResponses);
		media = List.copyOf(media);
	}

	/**
	 * Create a stored message without media.
	 * @param id the message id
	 * @param sessionId the session
	 * @param sequence the position in the session
	 * @param role the author
	 * @param content the text
	 * @param metadata the metadata
	 * @param responseTo the id of the message this one answers, if any
	 * @param toolCalls the tool calls of an assistant message
	 * @param toolResponses the tool responses of a tool message
	 * @param createdAt when the store received the message
	 */
	public StoredMessage(String id, String sessionId, long sequence, MessageRole role, String content,
			Map<String, Object> metadata, @Nullable String responseTo, List<ToolCall> toolCalls,
			List<ToolResponse> toolResponses, Instant createdAt) {
		this(id, sessionId, sequence, role, content, metadata, responseTo, toolCalls, toolResponses, createdAt,
				List.of());
	}

	/**
	 * Return this message without its media, as a read that leaves media in the store
	 * returns it; the media bytes are neither copied nor kept.
	 * @return this message if it has no media, else a copy with no media
	 */
	public StoredMessage withoutMedia() {
		if (this.media.isEmpty()) {
			return this;
		}
		return new StoredMessage(this.id, this.sessionId, this.sequence, this.role, this.content, this.metadata,
				this.responseTo, this.toolCalls, this.toolResponses, this.createdAt, List.of());
	}

}
