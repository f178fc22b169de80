package io.github.chatmemory.web.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;

import static io.github.chatmemory.support.InputValidator.required;

/**
 * The result of one tool call.
 *
 * @param id the id of the tool call this responds to
 * @param name the tool name
 * @param responseData the tool's output
 */
public record ToolResponsePayload(@Nullable String id, @Nullable String name,
		@JsonProperty("response_data") @Nullable String responseData) {

	static ToolResponsePayload from(ToolResponse response) {
		return new ToolResponsePayload(response.id(), response.name(), response.responseData());
	}

	/**
	 * Convert to the core type, naming a missing field.
	 * @param field the field path for error messages
	 * @return the tool response
	 */
	public ToolResponse toToolResponse(String field) {
		return new ToolResponse(required(field + ".id", this.id), required(field + ".name", this.name),
				(this.responseData != null) ? this.responseData : "");
	}

}
