package io.github.chatmemory;

import java.util.Objects;

/**
 * The result of one tool call, kept losslessly for Spring AI's
 * {@code ToolResponseMessage.ToolResponse}.
 *
 * @param id the id of the tool call this responds to
 * @param name the tool name
 * @param responseData the tool's output
 */
public record ToolResponse(String id, String name, String responseData) {

	public ToolResponse {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(responseData, "responseData");
	}

}
