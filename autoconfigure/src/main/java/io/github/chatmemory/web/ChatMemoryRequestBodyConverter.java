package io.github.chatmemory.web;

import java.util.Set;

import io.github.chatmemory.support.StrictJson;
import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CleanupRequest;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.EditMessageRequest;
import io.github.chatmemory.web.api.ForkSessionRequest;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SearchRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;

/**
 * Reads the request bodies of the chat memory API, and only those, with a private strict
 * mapper (see {@link StrictJson}): a float where an integer belongs, a number where text
 * belongs, a duplicate key, an unknown property or a non-finite number is a 400 naming
 * the JSON path, not a silently altered request. The application's own ObjectMapper and
 * the way its controllers read JSON stay as they are.
 */
public class ChatMemoryRequestBodyConverter extends AbstractHttpMessageConverter<Object> {

	private static final Set<Class<?>> REQUEST_TYPES = Set.of(AppendMessageRequest.class, CreateSessionRequest.class,
			RenameSessionRequest.class, SearchRequest.class, CleanupRequest.class, ForkSessionRequest.class,
			EditMessageRequest.class);

	private final JsonMapper mapper = StrictJson.configure(JsonMapper.builder()).build();

	public ChatMemoryRequestBodyConverter() {
		super(MediaType.APPLICATION_JSON);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return REQUEST_TYPES.contains(type);
	}

	@Override
	protected boolean canWrite(MediaType mediaType) {
		return false;
	}

	@Override
	protected Object readInternal(Class<?> type, HttpInputMessage input) throws java.io.IOException {
		return StrictJson.read(this.mapper, input.getBody(), type, "body");
	}

	@Override
	protected void writeInternal(Object value, HttpOutputMessage output) {
		throw new UnsupportedOperationException("Reads chat memory requests only");
	}

}
