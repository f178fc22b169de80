package io.github.chatmemory.client;

import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CleanupRequest;
import io.github.chatmemory.web.api.CleanupResponse;
import io.github.chatmemory.web.api.ContextWindowResponse;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.EditMessageRequest;
import io.github.chatmemory.web.api.ForkSessionRequest;
import io.github.chatmemory.web.api.HealthResponse;
import io.github.chatmemory.web.api.MessageListResponse;
import io.github.chatmemory.web.api.MessageResponse;
import io.github.chatmemory.web.api.RecallResponse;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SearchRequest;
import io.github.chatmemory.web.api.SearchResponse;
import io.github.chatmemory.web.api.SessionPageResponse;
import io.github.chatmemory.web.api.SessionResponse;
import io.github.chatmemory.web.api.StatisticsResponse;
import io.github.chatmemory.web.api.SummaryPageResponse;
import io.github.chatmemory.web.api.SummaryResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A typed client for every endpoint of the chat memory REST API, as a Spring HTTP
 * interface. Its base URL includes the API's base path, for example
 * {@code http://localhost:8080/api/v1/chat}. Error responses raise
 * {@link org.springframework.web.client.RestClientResponseException}s whose body is the
 * problem detail.
 */
@HttpExchange(accept = "application/json")
public interface ChatMemoryClient {

	/**
	 * Create a client on a {@link RestClient} whose base URL is the API's base URL.
	 * @param restClient the rest client
	 * @return the client
	 */
	static ChatMemoryClient create(RestClient restClient) {
		return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(restClient))
			.build()
			.createClient(ChatMemoryClient.class);
	}

	@PostExchange(url = "/sessions", contentType = "application/json")
	SessionResponse createSession(@RequestBody CreateSessionRequest request);

	@GetExchange("/sessions/{sessionId}")
	SessionResponse getSession(@PathVariable String sessionId);

	@GetExchange("/users/{userId}/sessions")
	SessionPageResponse listSessions(@PathVariable String userId, @RequestParam int page, @RequestParam int size);

	@PutExchange(url = "/sessions/{sessionId}/title", contentType = "application/json")
	SessionResponse renameSession(@PathVariable String sessionId, @RequestBody RenameSessionRequest request);

	/**
	 * Rename a session only if it is at a version, as {@link #ifMatch(long)} names it; a
	 * stale version raises a 412 {@code RestClientResponseException}.
	 * @param sessionId the session id
	 * @param request the new title
	 * @param ifMatch the {@code If-Match} header, or {@code null} for none
	 * @return the renamed session, with its new version
	 */
	@PutExchange(url = "/sessions/{sessionId}/title", contentType = "application/json")
	SessionResponse renameSession(@PathVariable String sessionId, @RequestBody RenameSessionRequest request,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch);

	@PostExchange("/sessions/{sessionId}/deactivate")
	SessionResponse deactivateSession(@PathVariable String sessionId);

	@PostExchange("/sessions/{sessionId}/activate")
	SessionResponse activateSession(@PathVariable String sessionId);

	@DeleteExchange("/sessions/{sessionId}")
	void deleteSession(@PathVariable String sessionId);

	@PostExchange(url = "/sessions/{sessionId}/messages", contentType = "application/json")
	MessageResponse appendMessage(@PathVariable String sessionId, @RequestBody AppendMessageRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey);

	/**
	 * Append a message only if the session is at a version, as {@link #ifMatch(long)}
	 * names it; a stale version raises a 412 {@code RestClientResponseException}, except
	 * for a retry of a message that is stored already. The response's {@code ETag} is the
	 * session's version after the append.
	 * @param sessionId the session id
	 * @param request the message
	 * @param idempotencyKey the message id, or {@code null}
	 * @param ifMatch the {@code If-Match} header, or {@code null} for none
	 * @return the response with the stored message
	 */
	@PostExchange(url = "/sessions/{sessionId}/messages", contentType = "application/json")
	ResponseEntity<MessageResponse> appendMessage(@PathVariable String sessionId,
			@RequestBody AppendMessageRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch);

	@GetExchange("/sessions/{sessionId}/messages")
	MessageListResponse getMessages(@PathVariable String sessionId,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable Long before,
			@RequestParam(required = false) @Nullable Long after);

	@DeleteExchange("/sessions/{sessionId}/messages")
	void clearMessages(@PathVariable String sessionId);

	@PostExchange(url = "/sessions/{sessionId}/search", contentType = "application/json")
	SearchResponse searchSession(@PathVariable String sessionId, @RequestBody SearchRequest request);

	@GetExchange("/users/{userId}/search")
	SearchResponse searchUser(@PathVariable String userId, @RequestParam("q") String query,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable Integer page);

	/**
	 * Find the messages of a user's sessions most similar in meaning to a query. With
	 * semantic recall off on the server, raises a 404 {@code RestClientResponseException}
	 * whose problem detail names {@code chat-memory.recall.enabled}.
	 * @param userId the user
	 * @param query the query text
	 * @param limit the most messages to return, or {@code null} for the server's default
	 * @return the messages found, most similar first
	 */
	@GetExchange("/users/{userId}/recall")
	RecallResponse recall(@PathVariable String userId, @RequestParam("q") String query,
			@RequestParam(required = false) @Nullable Integer limit);

	@GetExchange("/sessions/{sessionId}/context")
	ContextWindowResponse getContextWindow(@PathVariable String sessionId,
			@RequestParam(name = "max_messages", required = false) @Nullable Integer maxMessages,
			@RequestParam(name = "max_tokens", required = false) @Nullable Integer maxTokens);

	@GetExchange("/sessions/{sessionId}/export")
	String exportSession(@PathVariable String sessionId);

	@PostExchange(url = "/sessions/import", contentType = "application/json")
	SessionResponse importSession(@RequestBody String document,
			@RequestParam(name = "session_id", required = false) @Nullable String sessionId,
			@RequestParam(name = "new_id", required = false) @Nullable Boolean newId,
			@RequestParam(name = "replace", required = false) @Nullable Boolean replace);

	/**
	 * Replace a session by importing a document only if it is at a version, as
	 * {@link #ifMatch(long)} names it.
	 * @param document the document
	 * @param sessionId the session to replace, or {@code null} for the document's
	 * @param ifMatch the {@code If-Match} header
	 * @return the imported session, with its new version
	 */
	@PostExchange(url = "/sessions/import?replace=true", contentType = "application/json")
	SessionResponse importSession(@RequestBody String document,
			@RequestParam(name = "session_id", required = false) @Nullable String sessionId,
			@RequestHeader(name = "If-Match") String ifMatch);

	/**
	 * Fork a session at a message into a new session of the same owner.
	 * @param sessionId the session id
	 * @param request the message to fork at and the new title
	 * @return the fork
	 */
	@PostExchange(url = "/sessions/{sessionId}/fork", contentType = "application/json")
	SessionResponse forkSession(@PathVariable String sessionId, @RequestBody ForkSessionRequest request);

	/**
	 * Edit a user message in a new branch of its session.
	 * @param sessionId the session id
	 * @param messageId the user message
	 * @param request the new content
	 * @return the new branch
	 */
	@PostExchange(url = "/sessions/{sessionId}/messages/{messageId}/edit", contentType = "application/json")
	SessionResponse editMessage(@PathVariable String sessionId, @PathVariable String messageId,
			@RequestBody EditMessageRequest request);

	/**
	 * List the sessions forked or edited from a session, newest first.
	 * @param sessionId the session id
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 */
	@GetExchange("/sessions/{sessionId}/branches")
	SessionPageResponse listBranches(@PathVariable String sessionId, @RequestParam int page, @RequestParam int size);

	/**
	 * Make a summary of a session now: the messages its default context window leaves out
	 * and its latest summary does not cover, folded into that summary. Nothing to
	 * summarize, a summary being made, or summaries off raise a 409
	 * {@code RestClientResponseException}; a summarizer that fails or takes too long a
	 * 503.
	 * @param sessionId the session id
	 * @return the summary made
	 */
	@PostExchange("/sessions/{sessionId}/summarize")
	SummaryResponse summarize(@PathVariable String sessionId);

	/**
	 * List the summaries of a session, newest first.
	 * @param sessionId the session id
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 */
	@GetExchange("/sessions/{sessionId}/summaries")
	SummaryPageResponse getSummaries(@PathVariable String sessionId, @RequestParam int page, @RequestParam int size);

	/**
	 * The {@code If-Match} header that a version-checked write sends for a version, such
	 * as a {@link SessionResponse#version()}.
	 * @param version the version
	 * @return the header value
	 */
	static String ifMatch(long version) {
		return "\"" + version + "\"";
	}

	@GetExchange("/statistics")
	StatisticsResponse statistics();

	@PostExchange(url = "/cleanup", contentType = "application/json")
	CleanupResponse cleanup(@RequestBody CleanupRequest request);

	@GetExchange("/health")
	HealthResponse health();

}
