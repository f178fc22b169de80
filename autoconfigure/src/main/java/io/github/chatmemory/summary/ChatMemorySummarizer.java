package io.github.chatmemory.summary;

import java.util.List;

import io.github.chatmemory.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * Writes the text of a summary: the previous summary, if any, extended with the messages
 * left out of the context window since. Called off the request path, at most once at a
 * time per session; an exception or a slow answer never reaches a chat turn.
 */
@FunctionalInterface
public interface ChatMemorySummarizer {

	/**
	 * Summarize.
	 * @param request the previous summary and the messages to fold into it
	 * @return the new summary
	 */
	Summary summarize(Request request);

	/**
	 * What to summarize.
	 *
	 * @param sessionId the session
	 * @param previousSummary the text of the summary to extend, or {@code null} for the
	 * first
	 * @param messages the messages to fold in, oldest first, system messages left out
	 * @param maxTokens the most tokens the summary should take
	 */
	record Request(String sessionId, @Nullable String previousSummary, List<StoredMessage> messages, int maxTokens) {

		public Request {
			messages = List.copyOf(messages);
		}

	}

	/**
	 * A summary's text and the model that wrote it.
	 *
	 * @param text the summary text
	 * @param model the model, or {@code null} if unknown
	 */
	record Summary(String text, @Nullable String model) {
	}

}
