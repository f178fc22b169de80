package io.github.chatmemory.web;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * With springdoc-openapi on the class path, the API's endpoints and schemas appear in its
 * OpenAPI document.
 */
class ChatMemoryOpenApiIT extends AbstractRestIT {

	@Test
	void endpointsAndSchemasAreInTheOpenApiDocument() {
		String document = RestClients.restClient(this.port, "ada")
			.get()
			.uri("http://localhost:" + this.port + "/v3/api-docs")
			.retrieve()
			.body(String.class);
		assertThat(document).contains("\"/api/v1/chat/sessions\"", "\"/api/v1/chat/sessions/{sessionId}/messages\"",
				"\"/api/v1/chat/sessions/{sessionId}/context\"", "\"/api/v1/chat/users/{userId}/search\"",
				"\"/api/v1/chat/statistics\"", "\"/api/v1/chat/sessions/import\"");
		assertThat(document).contains("\"AppendMessageRequest\"", "\"MessageResponse\"", "\"ContextWindowResponse\"",
				"\"message_type\"", "\"tool_calls\"");
	}

}
