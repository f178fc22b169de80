package io.github.chatmemory.store;

import java.time.Instant;

import io.github.chatmemory.StoredSummary;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the JSON of a summary as the stores keep it. The Redis scripts read
 * only its {@code id} field.
 */
public final class StoredSummaryCodec {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private StoredSummaryCodec() {
	}

	public static String write(StoredSummary summary) {
		return MAPPER.writeValueAsString(new Body(summary.id(), summary.text(), summary.fromSequence(),
				summary.toSequence(), summary.toMessageId(), summary.extendsId(), summary.createdAt().toEpochMilli(),
				summary.model(), summary.tokens(), summary.coveredTokens()));
	}

	public static StoredSummary read(String sessionId, String json) {
		Body body = MAPPER.readValue(json, Body.class);
		return new StoredSummary(body.id(), sessionId, body.text(), body.from(), body.to(), body.toMessageId(),
				body.extendsId(), Instant.ofEpochMilli(body.createdAt()), body.model(), body.tokens(),
				body.coveredTokens());
	}

	private record Body(String id, String text, long from, long to, String toMessageId, @Nullable String extendsId,
			long createdAt, @Nullable String model, int tokens, long coveredTokens) {
	}

}
