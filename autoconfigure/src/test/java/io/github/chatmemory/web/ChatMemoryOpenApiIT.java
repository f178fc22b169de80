package io.github.chatmemory.web;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
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
				"\"/api/v1/chat/users/{userId}/recall\"", "\"RecallResponse\"",
				"\"/api/v1/chat/statistics\"", "\"/api/v1/chat/sessions/import\"");
		assertThat(document).contains("\"AppendMessageRequest\"", "\"MessageResponse\"", "\"ContextWindowResponse\"",
				"\"message_type\"", "\"tool_calls\"");
	}

	@Test
	void versionCheckedWritesAndBranchesDocumentTheirAnswers() {
		String document = RestClients.restClient(this.port, "ada")
			.get()
			.uri("http://localhost:" + this.port + "/v3/api-docs")
			.retrieve()
			.body(String.class);
		JsonNode paths = JsonMapper.builder().build().readTree(document).path("paths");
		assertThat(responses(paths, "/sessions/{sessionId}/messages", "post")).contains("201", "400", "404", "409",
				"412");
		assertThat(responses(paths, "/sessions/{sessionId}/title", "put")).contains("200", "404", "412");
		assertThat(responses(paths, "/sessions/import", "post")).contains("201", "404", "409", "412");
		assertThat(responses(paths, "/sessions/{sessionId}/fork", "post")).contains("201", "400", "404", "409");
		assertThat(responses(paths, "/sessions/{sessionId}/messages/{messageId}/edit", "post")).contains("201", "400",
				"404", "409");
		assertThat(responses(paths, "/sessions/{sessionId}/branches", "get")).contains("200", "404");
		assertThat(responses(paths, "/sessions/{sessionId}", "get")).contains("200", "404");
	}

	@Test
	void summariesDocumentTheirAnswers() {
		String document = RestClients.restClient(this.port, "ada")
			.get()
			.uri("http://localhost:" + this.port + "/v3/api-docs")
			.retrieve()
			.body(String.class);
		JsonNode paths = JsonMapper.builder().build().readTree(document).path("paths");
		assertThat(responses(paths, "/sessions/{sessionId}/summarize", "post")).contains("200", "404", "409", "503");
		assertThat(responses(paths, "/sessions/{sessionId}/summaries", "get")).contains("200", "404");
		assertThat(document).contains("\"SummaryResponse\"", "\"SummaryPageResponse\"", "\"tokens_saved\"");
	}

	private static List<String> responses(JsonNode paths, String path, String method) {
		JsonNode operation = paths.path("/api/v1/chat" + path).path(method);
		assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
		List<String> codes = new ArrayList<>();
		operation.path("responses").properties().forEach((entry) -> codes.add(entry.getKey()));
		return codes;
	}

}
