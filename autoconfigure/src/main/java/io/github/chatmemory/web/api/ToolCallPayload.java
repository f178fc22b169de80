package io.github.chatmemory.web.api;

import io.github.chatmemory.ToolCall;
import org.jspecify.annotations.Nullable;

import static io.github.chatmemory.support.InputValidator.required;

/**
 * A tool call requested by the assistant.
 *
 * @param id the call id
 * @param type the call type, usually {@code function}
 * @param name the tool name
 * @param arguments the arguments, usually JSON text
 */
public record ToolCallPayload(@Nullable String id, @Nullable String type, @Nullable String name,
		@Nullable String arguments) {

	static ToolCallPayload from(ToolCall call) {
		return new ToolCallPayload(call.id(), call.type(), call.name(), call.arguments());
	}

	/**
	 * Convert to the core type, naming a missing field.
	 * @param field the field path for error messages
	 * @return the tool call
	 */
	public ToolCall toToolCall(String field) {
		return new ToolCall(required(field + ".id", this.id),
				(this.type != null) ? this.type : "function", required(field + ".name", this.name),
				(this.arguments != null) ? this.arguments : "");
	}

}
