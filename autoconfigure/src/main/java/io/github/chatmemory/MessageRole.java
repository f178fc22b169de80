package io.github.chatmemory;

import java.util.Locale;

/**
 * The author of a stored message, matching Spring AI's message types.
 */
public enum MessageRole {

	/** A message written by the end user. */
	USER,

	/** A message produced by the model, possibly carrying tool calls. */
	ASSISTANT,

	/** Instructions for the model. */
	SYSTEM,

	/** The results of tool calls requested by the assistant. */
	TOOL;

	/**
	 * Parse a role name case-insensitively, accepting {@code ai} for {@link #ASSISTANT}
	 * as chat UIs often send it.
	 * @param value the role name
	 * @return the role
	 * @throws IllegalArgumentException if the name is not a known role
	 */
	public static MessageRole fromValue(String value) {
		String normalized = value.trim().toUpperCase(Locale.ROOT);
		if ("AI".equals(normalized)) {
			return ASSISTANT;
		}
		for (MessageRole role : values()) {
			if (role.name().equals(normalized)) {
				return role;
			}
		}
		throw new ChatMemoryValidationException("role", "must be one of user, assistant (or ai), system, tool but was '" + value + "'");
	}

}
