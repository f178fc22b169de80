package io.github.chatmemory.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a message as the compact JSON a store keeps, and reads it back: the body, and the
 * media apart, so that reads that do not return media do not fetch them, and a
 * fingerprint that tells a retry from another message under a known id. The id and the
 * sequence are kept beside the body (a Redis stream entry's, a table's columns) and are
 * not part of it. Bodies written before media were kept apart hold them, and read back
 * the same.
 */
public final class StoredMessageCodec {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final TypeReference<List<MessageMedia>> MEDIA = new TypeReference<>() {
	};

	/** Map keys in order, so that equal metadata gives equal bytes. */
	private static final JsonMapper CANONICAL = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private StoredMessageCodec() {
	}

	/**
	 * Write the body of a message, everything but its media.
	 */
	public static String write(NewMessage message, Instant createdAt) {
		Body body = new Body(message.role().name(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), createdAt.toEpochMilli(), null);
		return MAPPER.writeValueAsString(body);
	}

	public static String write(StoredMessage message) {
		Body body = new Body(message.role().name(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), message.createdAt().toEpochMilli(), null);
		return MAPPER.writeValueAsString(body);
	}

	/**
	 * Write the media of a message for their own field of the stream entry.
	 * @return the media as a JSON array, or an empty string for a message without media,
	 * whose entry then has no media field
	 */
	public static String writeMedia(List<MessageMedia> media) {
		return media.isEmpty() ? "" : MAPPER.writeValueAsString(media);
	}

	/**
	 * A digest of what makes a message the same message (everything but its time), kept
	 * beside its id so that the append script can tell a retry from a different message
	 * under a known id without reading the message.
	 */
	public static String fingerprint(NewMessage message) {
		return fingerprint(message.role(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), message.media());
	}

	public static String fingerprint(StoredMessage message) {
		return fingerprint(message.role(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), message.media());
	}

	/**
	 * Media take part only when there are some, so that the fingerprints of messages
	 * stored before media were kept stay the same.
	 */
	private static String fingerprint(MessageRole role, String content, Map<String, Object> metadata,
			@Nullable String responseTo, List<ToolCall> toolCalls, List<ToolResponse> toolResponses,
			List<MessageMedia> media) {
		Body body = new Body(role.name(), content, metadata, responseTo, toolCalls, toolResponses, 0, media);
		byte[] canonical = CANONICAL.writeValueAsBytes(body);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

	/**
	 * Read a message from its stream entry.
	 * @param json the body
	 * @param media the media field as {@link #writeMedia} wrote it, or an empty string
	 * @param includeMedia whether to keep media, those of the media field or, in an entry
	 * written before media had a field of their own, of the body
	 */
	public static StoredMessage read(String sessionId, String id, long sequence, String json, String media,
			boolean includeMedia) {
		Body body = MAPPER.readValue(json, Body.class);
		List<MessageMedia> kept = List.of();
		if (includeMedia) {
			kept = !media.isEmpty() ? MAPPER.readValue(media, MEDIA)
					: (body.media() != null) ? body.media() : List.of();
		}
		return new StoredMessage(id, sessionId, sequence, MessageRole.valueOf(body.role()),
				(body.content() != null) ? body.content() : "",
				(body.metadata() != null) ? body.metadata() : Map.of(), body.responseTo(),
				(body.toolCalls() != null) ? body.toolCalls() : List.of(),
				(body.toolResponses() != null) ? body.toolResponses() : List.of(),
				Instant.ofEpochMilli(body.createdAt()), kept);
	}

	/**
	 * The JSON of a message: media are written apart, and only read from bodies written
	 * before they were, and to compute fingerprints, which stay as they were.
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	public record Body(String role, @Nullable String content, @Nullable Map<String, Object> metadata, @Nullable String responseTo,
			@Nullable List<ToolCall> toolCalls, @Nullable List<ToolResponse> toolResponses, long createdAt,
			@Nullable List<MessageMedia> media) {
	}

}
