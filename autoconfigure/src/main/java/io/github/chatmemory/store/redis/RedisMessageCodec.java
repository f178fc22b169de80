package io.github.chatmemory.store.redis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a message body as the compact JSON kept in a stream entry, and reads it back;
 * the sequence is the stream entry id and is not part of the body.
 */
final class RedisMessageCodec {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private RedisMessageCodec() {
	}

	static String write(NewMessage message, Instant createdAt) {
		Body body = new Body(message.role().name(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), createdAt.toEpochMilli());
		return MAPPER.writeValueAsString(body);
	}

	static String write(StoredMessage message) {
		Body body = new Body(message.role().name(), message.content(), message.metadata(), message.responseTo(),
				message.toolCalls(), message.toolResponses(), message.createdAt().toEpochMilli());
		return MAPPER.writeValueAsString(body);
	}

	static StoredMessage read(String sessionId, String id, long sequence, String json) {
		Body body = MAPPER.readValue(json, Body.class);
		return new StoredMessage(id, sessionId, sequence, MessageRole.valueOf(body.role()),
				(body.content() != null) ? body.content() : "",
				(body.metadata() != null) ? body.metadata() : Map.of(), body.responseTo(),
				(body.toolCalls() != null) ? body.toolCalls() : List.of(),
				(body.toolResponses() != null) ? body.toolResponses() : List.of(),
				Instant.ofEpochMilli(body.createdAt()));
	}

	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record Body(String role, @Nullable String content, @Nullable Map<String, Object> metadata, @Nullable String responseTo,
			@Nullable List<ToolCall> toolCalls, @Nullable List<ToolResponse> toolResponses, long createdAt) {
	}

}
