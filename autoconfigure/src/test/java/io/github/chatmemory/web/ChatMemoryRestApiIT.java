package io.github.chatmemory.web;

import java.util.List;
import java.util.Map;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CleanupRequest;
import io.github.chatmemory.web.api.ContextWindowResponse;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.MessageResponse;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SearchRequest;
import io.github.chatmemory.web.api.SearchResponse;
import io.github.chatmemory.web.api.SessionResponse;
import io.github.chatmemory.web.api.StatisticsResponse;
import io.github.chatmemory.web.api.ToolCallPayload;
import io.github.chatmemory.web.api.ToolResponsePayload;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every endpoint of the REST API, through {@link ChatMemoryClient}, against a server on
 * a random port on the test Redis.
 */
class ChatMemoryRestApiIT extends AbstractRestIT {

	@Test
	void everyEndpointThroughTheClient() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		ChatMemoryClient root = RestClients.client(this.port, "root");

		assertThat(ada.health().status()).isEqualTo("UP");
		assertThat(ada.health().store()).isEqualTo("redis");

		// other tests of the shared application may hold sessions: count from here
		StatisticsResponse before = root.statistics();
		SessionResponse created = ada.createSession(new CreateSessionRequest(null, null, "Trip", Map.of("lang", "th")));
		assertThat(created.userId()).isEqualTo("ada");
		assertThat(ada.getSession(created.id())).isEqualTo(created);
		// only a caller who sees every session (here the administrator) chooses session ids
		ResponseEntity<SessionResponse> withLocation = RestClients.restClient(this.port, "root")
			.post()
			.uri("/sessions")
			.body(new CreateSessionRequest("second", "ada", null, null))
			.retrieve()
			.toEntity(SessionResponse.class);
		assertThat(withLocation.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(withLocation.getHeaders().getLocation()).hasPath("/api/v1/chat/sessions/second");

		String id = created.id();
		MessageResponse question = ada.appendMessage(id, new AppendMessageRequest(null, "user", null,
				"อากาศที่ปายเป็นอย่างไร 🌧️", Map.of("client", "test"), null, null, null), "q-1");
		assertThat(question.id()).isEqualTo("q-1");
		assertThat(question.role()).isEqualTo("user");
		MessageResponse retried = ada.appendMessage(id, new AppendMessageRequest(null, "user", null,
				"อากาศที่ปายเป็นอย่างไร 🌧️", Map.of("client", "test"), null, null, null), "q-1");
		assertThat(retried).isEqualTo(question);
		// the same key with a different request is a conflict, not a silent return of the first message
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class).isThrownBy(() -> ada.appendMessage(id,
				new AppendMessageRequest(null, "user", null, "something else", Map.of("client", "test"), null, null,
						null), "q-1"))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString())
				.contains("Idempotency-Key reused with a different request"));
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class).isThrownBy(() -> ada.appendMessage(id,
				new AppendMessageRequest("q-1", "system", null, "อากาศที่ปายเป็นอย่างไร 🌧️", Map.of("client", "test"),
						null, null, null), null));
		ada.appendMessage(id, new AppendMessageRequest("call", null, "ai", "", null, "q-1",
				List.of(new ToolCallPayload("c1", "function", "weather", "{\"city\":\"Pai\"}")), null), null);
		ada.appendMessage(id, new AppendMessageRequest("resp", "tool", null, null, null, null, null,
				List.of(new ToolResponsePayload("c1", "weather", "{\"temp\":24}"))), null);
		MessageResponse answer = ada.appendMessage(id,
				new AppendMessageRequest(null, null, "ai", "ฝนตก 24°C", null, "q-1", null, null), null);
		assertThat(answer.role()).isEqualTo("assistant");

		List<MessageResponse> all = ada.getMessages(id, null, null, null).messages();
		assertThat(all).extracting(MessageResponse::id).containsExactly("q-1", "call", "resp", answer.id());
		assertThat(all.get(1).toolCalls()).containsExactly(new ToolCallPayload("c1", "function", "weather",
				"{\"city\":\"Pai\"}"));
		assertThat(ada.getMessages(id, 2, null, null).messages()).extracting(MessageResponse::id)
			.containsExactly("resp", answer.id());
		assertThat(ada.getMessages(id, 10, all.get(2).sequence(), null).messages()).extracting(MessageResponse::id)
			.containsExactly("q-1", "call");
		assertThat(ada.getMessages(id, 1, null, all.get(0).sequence()).messages()).extracting(MessageResponse::id)
			.containsExactly("call");

		SearchResponse found = ada.searchSession(id, new SearchRequest("24°c", 10, null));
		assertThat(found.hits()).extracting((hit) -> hit.message().id()).containsExactly(answer.id());
		assertThat(ada.searchUser("ada", "ปาย", null, null).hits()).extracting(SearchResponse.Hit::sessionId)
			.containsExactly(id);

		// the window starts on a user message by default, as Spring AI's does: two messages
		// hold the answer alone, which a window may not start with
		ContextWindowResponse window = ada.getContextWindow(id, 2, null);
		assertThat(window.messages()).isEmpty();
		assertThat(window.leftOut()).containsEntry("message_limit", 3L).containsEntry("before_first_user_message", 1L);
		assertThat(ada.getContextWindow(id, null, 1000).messages()).hasSize(4);

		assertThat(ada.renameSession(id, new RenameSessionRequest("Pai")).title()).isEqualTo("Pai");
		// newest activity first; other tests of the shared application may have left older sessions of ada's
		assertThat(ada.listSessions("ada", 0, 10).sessions()).extracting(SessionResponse::id)
			.startsWith(id, "second");
		assertThat(ada.deactivateSession(id).active()).isFalse();
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class).isThrownBy(() -> ada.appendMessage(id,
				new AppendMessageRequest(null, "user", null, "rejected", null, null, null, null), null));
		assertThat(ada.activateSession(id).active()).isTrue();

		String export = ada.exportSession(id);
		assertThat(export).contains("\"format\" : \"chat-memory-session\"");
		SessionResponse copy = root.importSession(export, "copy", null, null);
		assertThat(copy.messageCount()).isEqualTo(4);
		assertThat(ada.getMessages("copy", null, null, null).messages()).extracting(MessageResponse::content)
			.isEqualTo(all.stream().map(MessageResponse::content).toList());
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class)
			.isThrownBy(() -> root.importSession(export, null, null, null));
		// ada keeps the id only to replace her own session; otherwise her import gets a new one
		assertThat(ada.importSession(export, null, null, true).id()).isEqualTo(id);
		SessionResponse another = ada.importSession(export, null, null, null);
		assertThat(another.id()).isNotEqualTo(id);
		ada.deleteSession(another.id());

		ada.clearMessages("copy");
		assertThat(ada.getSession("copy").messageCount()).isZero();
		ada.deleteSession("copy");
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class).isThrownBy(() -> ada.getSession("copy"));

		StatisticsResponse statistics = root.statistics();
		assertThat(statistics.storeType()).isEqualTo("redis");
		assertThat(statistics.sessions()).isEqualTo(before.sessions() + 2);
		assertThat(statistics.messages()).isEqualTo(before.messages() + 4);
		assertThat(root.cleanup(new CleanupRequest(30)).deletedSessions()).isZero();
		assertThat(root.statistics().lastRetention()).isNotNull();
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).isThrownBy(ada::statistics);
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class)
			.isThrownBy(() -> ada.cleanup(new CleanupRequest(1)));
	}

	@Test
	void withSummariesOffSummarizeIsAConflictNamingThePropertyAndTheListIsEmpty() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		String id = ada.createSession(new CreateSessionRequest(null, null, "no summaries", null)).id();
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class).isThrownBy(() -> ada.summarize(id))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("chat-memory.summary.enabled"));
		assertThat(ada.getSummaries(id, 0, 20).summaries()).isEmpty();
		assertThat(ada.getContextWindow(id, null, null).summary()).isNull();
		// another user's session is missing first, whatever the setting
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> RestClients.client(this.port, "bob").summarize(id));
	}

	@Test
	void withRecallOffRecallIsNotFoundNamingTheProperty() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> ada.recall("ada", "anything", 5))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("Semantic recall not enabled",
					"chat-memory.recall.enabled"));
		// another user's recall is missing for the same reason as ever, whatever the setting
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> RestClients.client(this.port, "bob").recall("ada", "anything", 5))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).doesNotContain("chat-memory.recall.enabled"));
	}

}
