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

	@Test
	void everyOperationHasASummaryAndDocumentsItsRealAnswers() {
		String document = RestClients.restClient(this.port, "ada")
			.get()
			.uri("http://localhost:" + this.port + "/v3/api-docs")
			.retrieve()
			.body(String.class);
		JsonNode paths = JsonMapper.builder().build().readTree(document).path("paths");
		assertThat(responses(paths, "/sessions", "post")).as("a creation answers 201, not 200")
			.contains("201", "400", "409")
			.doesNotContain("200");
		assertThat(responses(paths, "/sessions/{sessionId}", "delete")).contains("204", "404").doesNotContain("200");
		assertThat(responses(paths, "/sessions/{sessionId}/messages", "delete")).contains("204", "404")
			.doesNotContain("200");
		assertThat(responses(paths, "/sessions/{sessionId}/export", "get")).contains("200", "404", "413");
		assertThat(responses(paths, "/health", "get")).contains("200", "503");
		List<String> undocumented = new ArrayList<>();
		paths.properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			List<String> codes = new ArrayList<>();
			operation.getValue().path("responses").properties().forEach((entry) -> codes.add(entry.getKey()));
			if (path.getKey().startsWith("/api/v1/chat")
					&& (codes.stream().noneMatch((code) -> code.startsWith("4") || code.startsWith("5"))
							|| operation.getValue().path("summary").asString("").isBlank())) {
				undocumented.add(operation.getKey() + " " + path.getKey() + " " + codes);
			}
		}));
		assertThat(undocumented).as("operations without a summary or without an error answer").isEmpty();
	}

	private static List<String> responses(JsonNode paths, String path, String method) {
		JsonNode operation = paths.path("/api/v1/chat" + path).path(method);
		assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
		List<String> codes = new ArrayList<>();
		operation.path("responses").properties().forEach((entry) -> codes.add(entry.getKey()));
		return codes;
	}

}
