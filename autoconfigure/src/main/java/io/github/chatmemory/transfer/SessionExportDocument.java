package io.github.chatmemory.transfer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;

/**
 * The export format of one session, written as JSON with snake_case field names; see
 * {@code docs/export-format.md}. Fields are nullable here because documents come from
 * outside: {@link SessionTransfer} checks each one and names the missing ones.
 *
 * @param format always {@value #FORMAT}
 * @param version the format version: {@value #VERSION}, {@value #VERSION_WITH_MEDIA} or
 * {@value #VERSION_WITH_SUMMARIES}
 * @param exportedAt when the document was written
 * @param session the session's fields
 * @param messages every message in ascending sequence order
 * @param summaries the summaries, oldest first (version 3), absent when none
 */
public record SessionExportDocument(@Nullable String format, @Nullable Integer version, @Nullable Instant exportedAt,
		@Nullable Session session, @Nullable List<Message> messages,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<Summary> summaries) {

	/** The format name every document carries. */
	public static final String FORMAT = "chat-memory-session";

	/** The format version of documents without media; this code reads it too. */
	public static final int VERSION = 1;

	/**
	 * The format version of documents with media: version 1 plus each message's
	 * {@code media}. Written only when a message has media, so that older readers, which
	 * refuse unknown fields, still read every document they could keep whole.
	 */
	public static final int VERSION_WITH_MEDIA = 2;

	/**
	 * The format version of documents with summaries: version 2 plus {@code summaries}.
	 * Written only when the session has summaries, for the same reason.
	 */
	public static final int VERSION_WITH_SUMMARIES = 3;

	/**
	 * A document without summaries, as versions 1 and 2 have.
	 * @param format always {@value #FORMAT}
	 * @param version the format version
	 * @param exportedAt when the document was written
	 * @param session the session's fields
	 * @param messages every message in ascending sequence order
	 */
	public SessionExportDocument(@Nullable String format, @Nullable Integer version, @Nullable Instant exportedAt,
			@Nullable Session session, @Nullable List<Message> messages) {
		this(format, version, exportedAt, session, messages, null);
	}

	/**
	 * A session's fields; the message count is derived from the messages.
	 *
	 * @param id the session id
	 * @param userId the owning user, or {@code null}
	 * @param title the title
	 * @param metadata the metadata
	 * @param active whether the session accepts new messages
	 * @param createdAt when the session was created
	 * @param updatedAt the session's last activity
	 */
	public record Session(@Nullable String id, @Nullable String userId, @Nullable String title,
			@Nullable Map<String, Object> metadata, @Nullable Boolean active, @Nullable Instant createdAt,
			@Nullable Instant updatedAt) {
	}

	/**
	 * A message's fields.
	 *
	 * @param id the message id
	 * @param sequence the message's position in the session
	 * @param role {@code USER}, {@code ASSISTANT}, {@code SYSTEM} or {@code TOOL}
	 * @param content the text content
	 * @param metadata the metadata
	 * @param responseTo the id of the message this one answers
	 * @param toolCalls the tool calls of an assistant message
	 * @param toolResponses the tool responses of a tool message
	 * @param createdAt when the message was stored
	 * @param media the media of a user or assistant message (version 2), absent when none
	 */
	public record Message(@Nullable String id, @Nullable Long sequence, @Nullable String role,
			@Nullable String content, @Nullable Map<String, Object> metadata, @Nullable String responseTo,
			@Nullable List<ToolCall> toolCalls, @Nullable List<ToolResponse> toolResponses,
			@Nullable Instant createdAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<MessageMedia> media) {
	}

	/**
	 * A summary's fields.
	 *
	 * @param id the summary id, unique in the session
	 * @param text the summary text
	 * @param fromSequence the first sequence it covers
	 * @param toSequence the last sequence it covers, that of an exported message
	 * @param toMessageId the id of the message at {@code toSequence}
	 * @param extendsId the id of the earlier summary it extends, written as
	 * {@code extends}, or {@code null}
	 * @param createdAt when it was made
	 * @param model the model that made it, or {@code null}
	 * @param tokens the tokens of its text in a prompt
	 * @param coveredTokens the tokens of the messages it covers in a prompt
	 */
	public record Summary(@Nullable String id, @Nullable String text, @Nullable Long fromSequence,
			@Nullable Long toSequence, @Nullable String toMessageId, @JsonProperty("extends") @Nullable String extendsId,
			@Nullable Instant createdAt, @Nullable String model, @Nullable Integer tokens,
			@Nullable Long coveredTokens) {
	}

}
