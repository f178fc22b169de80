package io.github.chatmemory.recall;

import java.time.Instant;

import io.github.chatmemory.MessageRole;
import org.jspecify.annotations.Nullable;

/**
 * One message found by semantic recall, as the store holds it when recalled.
 *
 * @param sessionId the session the message belongs to
 * @param sessionTitle the session's title
 * @param messageId the message id
 * @param sequence the message's sequence in its session
 * @param role the message's role
 * @param score how similar in meaning the message is to the query, higher is closer
 * @param snippet the message's text, cut to the snippet length
 * @param createdAt when the message was stored
 */
public record RecallHit(String sessionId, @Nullable String sessionTitle, String messageId, long sequence,
		MessageRole role, double score, String snippet, Instant createdAt) {

}
