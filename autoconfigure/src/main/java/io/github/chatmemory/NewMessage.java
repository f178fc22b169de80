package io.github.chatmemory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.chatmemory.support.JsonValues;
import io.github.chatmemory.support.MetadataJson;
import org.jspecify.annotations.Nullable;

/**
 * A message to append to a session; the store assigns its sequence and time.
 *
 * @param id the message id; {@code null} lets the store generate one, a known id makes
 * the append idempotent
 * @param role the author of the message
 * @param content the text content
 * @param metadata arbitrary JSON-compatible metadata
 * @param responseTo the id of the message this one answers, if any
 * @param toolCalls the tool calls of an assistant message
 * @param toolResponses the tool responses of a tool message
 * @param media the media attachments of a user or assistant message
 */
public record NewMessage(@Nullable String id, MessageRole role, String content, Map<String, Object> metadata,
		@Nullable String responseTo, List<ToolCall> toolCalls, List<ToolResponse> toolResponses,
		List<MessageMedia> media) {

	public NewMessage {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(content, "content");
		metadata = JsonValues.immutableCopy(metadata);
		toolCalls = List.copyOf(toolCalls);
		toolResponses = List.copyOf(toolResponses);
		media = List.copyOf(media);
	}

	/**
	 * Create a message without media.
	 * @param id the message id, or {@code null}
	 * @param role the author
	 * @param content the text
	 * @param metadata the metadata
	 * @param responseTo the id of the message this one answers, if any
	 * @param toolCalls the tool calls of an assistant message
	 * @param toolResponses the tool responses of a tool message
	 */
	public NewMessage(@Nullable String id, MessageRole role, String content, Map<String, Object> metadata,
			@Nullable String responseTo, List<ToolCall> toolCalls, List<ToolResponse> toolResponses) {
		this(id, role, content, metadata, responseTo, toolCalls, toolResponses, List.of());
	}

	/**
	 * Create a plain text message with no id, metadata or tool data.
	 * @param role the author
	 * @param content the text
	 * @return the message
	 */
	public static NewMessage of(MessageRole role, String content) {
		return new NewMessage(null, role, content, Map.of(), null, List.of(), List.of());
	}

	/**
	 * Return a copy of this message with the given id.
	 * @param id the message id
	 * @return the copy
	 */
	public NewMessage withId(@Nullable String id) {
		return new NewMessage(id, this.role, this.content, this.metadata, this.responseTo, this.toolCalls,
				this.toolResponses, this.media);
	}

	/**
	 * Return a copy of this message with the given metadata.
	 * @param metadata the metadata
	 * @return the copy
	 */
	public NewMessage withMetadata(Map<String, Object> metadata) {
		return new NewMessage(this.id, this.role, this.content, metadata, this.responseTo, this.toolCalls,
				this.toolResponses, this.media);
	}

	/**
	 * Whether this message is the one stored under its id: the same role, content,
	 * metadata, answered message, tool calls, tool responses and media. A retry repeats the
	 * message it retries; a different message under a known id is a conflict.
	 * @param stored the stored message
	 * @return whether they are the same message
	 */
	public boolean isSameMessageAs(StoredMessage stored) {
		return isSame(stored.role(), stored.content(), stored.metadata(), stored.responseTo(), stored.toolCalls(),
				stored.toolResponses(), stored.media());
	}

	/**
	 * Whether this message is the same as another one given with the same id.
	 * @param other the other message
	 * @return whether they are the same message
	 */
	public boolean isSameMessageAs(NewMessage other) {
		return isSame(other.role(), other.content(), other.metadata(), other.responseTo(), other.toolCalls(),
				other.toolResponses(), other.media());
	}

	private boolean isSame(MessageRole role, String content, Map<String, Object> metadata,
			@Nullable String responseTo, List<ToolCall> toolCalls, List<ToolResponse> toolResponses,
			List<MessageMedia> media) {
		return this.role == role && this.content.equals(content) && Objects.equals(this.responseTo, responseTo)
				&& this.toolCalls.equals(toolCalls) && this.toolResponses.equals(toolResponses) && this.media.equals(media)
				&& MetadataJson.normalize(this.metadata).equals(MetadataJson.normalize(metadata));
	}

}
