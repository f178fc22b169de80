package io.github.chatmemory.store.memory;

import java.util.Collection;
import java.util.Map;

import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;

/**
 * Estimates the heap that sessions and messages take, to bound stores and caches by
 * bytes rather than by counts: two bytes a character (strings may be stored more
 * compactly, so this errs high) plus a fixed allowance for object headers, references
 * and index entries. Stable for a given value, so what was added can be taken away.
 */
final class HeapEstimate {

	/** Headers of the message record, its strings and timestamp, and its index entries. */
	private static final long MESSAGE_OVERHEAD = 256;

	/** Headers of a session's state, its maps and its place in the indexes. */
	private static final long SESSION_OVERHEAD = 512;

	private static final long ENTRY_OVERHEAD = 48;

	private HeapEstimate() {
	}

	/**
	 * Estimate the heap a message takes.
	 * @param message the message
	 * @return the estimate, in bytes
	 */
	static long message(StoredMessage message) {
		long bytes = MESSAGE_OVERHEAD + chars(message.id()) + chars(message.sessionId()) + chars(message.content())
				+ chars(message.responseTo()) + value(message.metadata());
		for (ToolCall call : message.toolCalls()) {
			bytes += ENTRY_OVERHEAD + chars(call.id()) + chars(call.type()) + chars(call.name())
					+ chars(call.arguments());
		}
		for (ToolResponse response : message.toolResponses()) {
			bytes += ENTRY_OVERHEAD + chars(response.id()) + chars(response.name()) + chars(response.responseData());
		}
		for (MessageMedia media : message.media()) {
			bytes += ENTRY_OVERHEAD + chars(media.mimeType()) + chars(media.id()) + chars(media.name())
					+ chars(media.url()) + ((media.url() == null) ? media.size() : 0);
		}
		return bytes;
	}

	/**
	 * Estimate the heap a summary takes.
	 * @param summary the summary
	 * @return the estimate, in bytes
	 */
	static long summary(StoredSummary summary) {
		return 160 + chars(summary.id()) + chars(summary.text()) + chars(summary.toMessageId())
				+ chars(summary.extendsId()) + chars(summary.model());
	}

	/**
	 * Estimate the heap a session takes without its messages.
	 * @param id the session id
	 * @param userId the owner
	 * @param metadata the metadata
	 * @return the estimate, in bytes
	 */
	static long session(String id, @Nullable String userId, Map<String, Object> metadata) {
		return SESSION_OVERHEAD + 2 * chars(id) + chars(userId) + value(metadata);
	}

	private static long chars(@Nullable String text) {
		return (text != null) ? 40 + 2L * text.length() : 0;
	}

	/** Metadata are small JSON-like trees (validated to a few kilobytes). */
	private static long value(@Nullable Object value) {
		if (value == null) {
			return 0;
		}
		if (value instanceof String text) {
			return chars(text);
		}
		if (value instanceof Map<?, ?> map) {
			long bytes = ENTRY_OVERHEAD;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				bytes += ENTRY_OVERHEAD + value(entry.getKey()) + value(entry.getValue());
			}
			return bytes;
		}
		if (value instanceof Collection<?> collection) {
			long bytes = ENTRY_OVERHEAD;
			for (Object element : collection) {
				bytes += 8 + value(element);
			}
			return bytes;
		}
		return ENTRY_OVERHEAD;
	}

}
