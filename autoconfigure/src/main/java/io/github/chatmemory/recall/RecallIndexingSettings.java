package io.github.chatmemory.recall;

import java.time.Duration;
import java.util.Set;

import io.github.chatmemory.MessageRole;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What the recall indexer indexes and how much work a pass does.
 *
 * @param roles the roles of the messages indexed
 * @param minCharacters the shortest text indexed, after trimming; shorter messages such
 * as "ok" say too little to recall
 * @param maxCharacters the most characters of a text embedded; the rest is cut
 * @param tasksPerPass the most queued sessions read per pass
 * @param messagesPerPass the most messages read per pass, which bounds a pass's work; a
 * longer session goes on in the next pass
 * @param batchSize the most texts embedded in one call to the index
 * @param interval how long between two passes
 * @param maxBackoff the longest wait after failed passes, which double the wait each time
 */
public record RecallIndexingSettings(Set<MessageRole> roles, int minCharacters, int maxCharacters, int tasksPerPass,
		int messagesPerPass, int batchSize, Duration interval, Duration maxBackoff) {

	public RecallIndexingSettings {
		roles = Set.copyOf(roles);
		Assert.isTrue(minCharacters >= 0, "minCharacters must not be negative");
		Assert.isTrue(maxCharacters > 0 && maxCharacters >= minCharacters,
				"maxCharacters must be positive and at least minCharacters");
		Assert.isTrue(tasksPerPass > 0, "tasksPerPass must be positive");
		Assert.isTrue(messagesPerPass > 0, "messagesPerPass must be positive");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "interval must be positive");
		Assert.isTrue(!maxBackoff.isNegative(), "maxBackoff must not be negative");
	}

	/**
	 * Settings with the defaults of the {@code chat-memory.recall.*} properties.
	 * @return the settings
	 */
	public static RecallIndexingSettings defaults() {
		return new RecallIndexingSettings(Set.of(MessageRole.USER, MessageRole.ASSISTANT), 8, 2000, 100, 256, 32,
				Duration.ofSeconds(1), Duration.ofMinutes(1));
	}

	/**
	 * Return the text to index of a message of an indexed role, or {@code null} when it
	 * is too short.
	 * @param role the message's role
	 * @param content the message's text
	 * @return the text, cut to {@link #maxCharacters()}, or {@code null}
	 */
	public @Nullable String textToIndex(MessageRole role, String content) {
		if (!this.roles.contains(role)) {
			return null;
		}
		String text = content.strip();
		if (text.isEmpty() || text.length() < this.minCharacters) {
			return null;
		}
		if (text.length() <= this.maxCharacters) {
			return text;
		}
		// never half of a surrogate pair at the cut
		int end = Character.isHighSurrogate(text.charAt(this.maxCharacters - 1)) ? this.maxCharacters - 1
				: this.maxCharacters;
		return text.substring(0, end);
	}

}
