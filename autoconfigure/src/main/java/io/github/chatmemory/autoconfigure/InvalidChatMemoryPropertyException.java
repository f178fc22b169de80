package io.github.chatmemory.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when a {@code chat-memory.*} property has a value the
 * auto-configuration cannot use; {@link ChatMemoryConfigurationFailureAnalyzer} reports
 * it as a description and an action that name the property.
 */
public class InvalidChatMemoryPropertyException extends IllegalStateException {

	private final String property;

	private final @Nullable Object value;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the property's full name
	 * @param value its value, or {@code null} when the problem is a missing bean
	 * @param reason why the value cannot be used
	 * @param action what the user can do about it
	 * @param cause the underlying failure, if any
	 */
	public InvalidChatMemoryPropertyException(String property, @Nullable Object value, String reason, String action,
			@Nullable Throwable cause) {
		super(property + ((value != null) ? "=" + value : "") + ": " + reason, cause);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Return the property's full name.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the value that cannot be used.
	 * @return the value, or {@code null}
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Return why the value cannot be used.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what the user can do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
