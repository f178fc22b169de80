package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when input breaks a rule of chat memory; it names the field and the rule, and
 * nothing was stored or changed.
 */
public class ChatMemoryValidationException extends IllegalArgumentException {

	private final String field;

	private final String rule;

	/**
	 * Create an exception.
	 * @param field the field that broke the rule, such as {@code messages[0].content}
	 * @param rule the rule it broke, such as {@code must not be empty}
	 */
	public ChatMemoryValidationException(String field, String rule) {
		this(field, rule, null);
	}

	/**
	 * Create an exception with a cause.
	 * @param field the field that broke the rule
	 * @param rule the rule it broke
	 * @param cause what detected the problem
	 */
	public ChatMemoryValidationException(String field, String rule, @Nullable Throwable cause) {
		super(field + ": " + rule, cause);
		this.field = field;
		this.rule = rule;
	}

	/**
	 * Return the field that broke the rule.
	 * @return the field
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * Return the rule that was broken.
	 * @return the rule
	 */
	public String getRule() {
		return this.rule;
	}

}
