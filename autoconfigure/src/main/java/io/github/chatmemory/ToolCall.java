package io.github.chatmemory;

import java.util.Objects;

/**
 * A tool call requested by the assistant, kept losslessly for Spring AI's
 * {@code AssistantMessage.ToolCall}.
 *
 * @param id the call id that the tool response refers to
 * @param type the call type, usually {@code function}
 * @param name the tool name
 * @param arguments the arguments, usually JSON text
 */
public record ToolCall(String id, String type, String name, String arguments) {

	public ToolCall {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(arguments, "arguments");
	}

}
