package io.github.chatmemory.web;

import io.github.chatmemory.ChatMemoryValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.support.InputValidator;
import io.github.chatmemory.transfer.ImportOptions;
import io.github.chatmemory.transfer.ImportTooLargeException;
import io.github.chatmemory.transfer.SessionExportDocument;
import io.github.chatmemory.transfer.SessionTransfer;
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
import io.github.chatmemory.window.WindowPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import static io.github.chatmemory.support.InputValidator.required;

/**
 * The chat memory REST API under {@code chat-memory.web.base-path}. It is registered as a
 * bean by the auto-configuration when {@code chat-memory.web.enabled=true}; validation
 * happens in {@link ChatMemoryManager}, errors become problem details in
 * {@link ChatMemoryProblemHandler}, and {@link SessionAccessPolicy} decides whose sessions
 * a request may see.
 * <p>
 * It carries no stereotype annotation, so that an application's component scan never
 * registers it: {@link ChatMemoryHandlerMapping} maps its requests.
 */
@ResponseBody
@RequestMapping(path = "${chat-memory.web.base-path:/api/v1/chat}", produces = MediaType.APPLICATION_JSON_VALUE)
public class ChatMemoryRestController {

	/** The header that makes an append safe to retry. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/**
	 * The largest token budget a context window request may ask for: more than any model's
	 * context, and a bound on what one request may make the server assemble.
	 */
	public static final int MAX_CONTEXT_TOKENS = 2_000_000;

	/** The oldest age a cleanup may name, about a hundred years, so that its cutoff stays a date. */
	static final int MAX_CLEANUP_DAYS = 36_500;

	private final ChatMemoryManager manager;

	/** Checks ids as the manager does, without a store round trip. */
	private final InputValidator ids;

	private final SessionTransfer transfer;

	private final SessionAccessPolicy accessPolicy;

	private final long maxImportBytes;

	private final int maxPageSize;

	private final @Nullable Supplier<@Nullable HealthResponse> healthCheck;

	/**
	 * Create the controller.
	 * @param manager the manager
	 * @param transfer the export and import service
	 * @param accessPolicy whose sessions a request may see
	 * @param maxImportBytes the largest import document, in bytes
	 * @param maxPageSize the most items one read may return, which also caps the
	 * messages of a context window
	 */
	public ChatMemoryRestController(ChatMemoryManager manager, SessionTransfer transfer,
			SessionAccessPolicy accessPolicy, long maxImportBytes, int maxPageSize) {
		this(manager, transfer, accessPolicy, maxImportBytes, maxPageSize, null);
	}

	/**
	 * Create the controller whose {@code /health} answers what a given check says, such
	 * as the actuator's chat memory health indicator.
	 * @param manager the manager
	 * @param transfer the export and import service
	 * @param accessPolicy whose sessions a request may see
	 * @param maxImportBytes the largest import document, in bytes
	 * @param maxPageSize the most items one read may return, which also caps the
	 * messages of a context window
	 * @param healthCheck the check behind {@code /health}, or {@code null} (or a check
	 * that answers {@code null}) to ping the store directly
	 */
	public ChatMemoryRestController(ChatMemoryManager manager, SessionTransfer transfer,
			SessionAccessPolicy accessPolicy, long maxImportBytes, int maxPageSize,
			@Nullable Supplier<@Nullable HealthResponse> healthCheck) {
		this.healthCheck = healthCheck;
		this.manager = manager;
		this.ids = new InputValidator(manager.getValidationRules());
		this.transfer = transfer;
		this.accessPolicy = accessPolicy;
		this.maxImportBytes = maxImportBytes;
		this.maxPageSize = maxPageSize;
	}

	@Operation(summary = "Create a session")
	@PostMapping(path = "/sessions", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "201", description = "Created, at the Location header; the ETag is its version")
	@ApiResponse(responseCode = "400", description = "Invalid title, metadata or id, or an owner other than the caller")
	@ApiResponse(responseCode = "409", description = "The session id is taken")
	ResponseEntity<SessionResponse> createSession(@RequestBody CreateSessionRequest request) {
		SessionAccess access = this.accessPolicy.currentAccess();
		String userId = ownUserId(access, "user_id", request.userId());
		if (request.id() != null && access instanceof SessionAccess.OwnSessions) {
			// session ids are global: a chosen id that is taken would tell that someone has it
			throw new ChatMemoryValidationException("id",
					"is chosen by the server for callers who see only their own sessions; leave it out");
		}
		ChatSession session = this.manager.createSession(new NewSession(request.id(), userId, request.title(),
				(request.metadata() != null) ? request.metadata() : Map.of()));
		URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
			.path("/{id}")
			.buildAndExpand(session.id())
			.toUri();
		return ResponseEntity.created(location).eTag(EntityTags.of(session.version())).body(SessionResponse.from(session));
	}

	@Operation(summary = "Read a session")
	@GetMapping("/sessions/{sessionId}")
	@ApiResponse(responseCode = "200", description = "The session; its ETag is its version")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	ResponseEntity<SessionResponse> getSession(@PathVariable String sessionId) {
		return versioned(HttpStatus.OK, visibleSession(sessionId));
	}

	@Operation(summary = "List a user's sessions")
	@GetMapping("/users/{userId}/sessions")
	@ApiResponse(responseCode = "200", description = "The user's sessions, newest activity first")
	@ApiResponse(responseCode = "400", description = "A page or size out of range")
	@ApiResponse(responseCode = "404", description = "Another user's sessions")
	SessionPageResponse listSessions(@PathVariable String userId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		checkUserVisible(userId);
		return SessionPageResponse.from(this.manager.listSessions(userId, page, size));
	}

	@Operation(summary = "Rename a session")
	@PutMapping(path = "/sessions/{sessionId}/title", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", description = "Renamed; the ETag is the new version")
	@ApiResponse(responseCode = "400", description = "Invalid title or malformed If-Match")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ApiResponse(responseCode = "412", description = "If-Match names another version than the session's")
	ResponseEntity<SessionResponse> renameSession(@PathVariable String sessionId,
			@RequestBody RenameSessionRequest request,
			@RequestHeader(name = EntityTags.IF_MATCH, required = false) @Nullable List<String> ifMatch) {
		SessionAccess access = this.accessPolicy.currentAccess();
		String title = required("title", request.title());
		Long expectedVersion = expectedVersion(EntityTags.parseIfMatch(ifMatch), access, sessionId);
		return versioned(HttpStatus.OK, this.manager.renameSession(sessionId, title, owner(access), expectedVersion));
	}

	@Operation(summary = "Deactivate a session")
	@PostMapping("/sessions/{sessionId}/deactivate")
	@ApiResponse(responseCode = "200", description = "Deactivated; the ETag is the new version")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	ResponseEntity<SessionResponse> deactivateSession(@PathVariable String sessionId) {
		return versioned(HttpStatus.OK,
				this.manager.setActive(sessionId, false, owner(this.accessPolicy.currentAccess())));
	}

	@Operation(summary = "Activate a session")
	@PostMapping("/sessions/{sessionId}/activate")
	@ApiResponse(responseCode = "200", description = "Activated; the ETag is the new version")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	ResponseEntity<SessionResponse> activateSession(@PathVariable String sessionId) {
		return versioned(HttpStatus.OK,
				this.manager.setActive(sessionId, true, owner(this.accessPolicy.currentAccess())));
	}

	/**
	 * Fork a session at a message into a new session of the same owner. The new session
	 * always gets a generated id.
	 */
	@Operation(summary = "Fork a session at a message")
	@PostMapping(path = "/sessions/{sessionId}/fork", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "201", description = "The fork, at the Location header")
	@ApiResponse(responseCode = "400", description = "Invalid request, or a fork larger than an import accepts")
	@ApiResponse(responseCode = "404", description = "No such session or message, or another user's session")
	@ApiResponse(responseCode = "409", description = "The session kept changing while it was read; try again")
	ResponseEntity<SessionResponse> forkSession(HttpServletRequest httpRequest, @PathVariable String sessionId,
			@RequestBody ForkSessionRequest request) {
		SessionAccess access = this.accessPolicy.currentAccess();
		String atMessageId = required("at_message_id", request.atMessageId());
		ChatSession fork;
		try {
			fork = this.transfer.withinLimit(() -> this.manager.forkSession(sessionId, atMessageId, request.title(),
					owner(access), this.maxImportBytes));
		}
		catch (ChatMemoryValidationException ex) {
			throw asJsonField(ex);
		}
		return created(httpRequest, fork);
	}

	/**
	 * Edit a user message in a new branch: the messages before it, then it with the new
	 * content. The original conversation does not change.
	 */
	@Operation(summary = "Edit a user message into a new branch")
	@PostMapping(path = "/sessions/{sessionId}/messages/{messageId}/edit",
			consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "201", description = "The new branch, at the Location header")
	@ApiResponse(responseCode = "400", description = "Invalid content, not a user message, or a branch too large")
	@ApiResponse(responseCode = "404", description = "No such session or message, or another user's session")
	@ApiResponse(responseCode = "409", description = "The session kept changing while it was read; try again")
	ResponseEntity<SessionResponse> editMessage(HttpServletRequest httpRequest, @PathVariable String sessionId,
			@PathVariable String messageId, @RequestBody EditMessageRequest request) {
		SessionAccess access = this.accessPolicy.currentAccess();
		String content = required("content", request.content());
		ChatSession branch = this.transfer.withinLimit(() -> this.manager.editMessage(sessionId, messageId, content,
				owner(access), this.maxImportBytes));
		return created(httpRequest, branch);
	}

	@Operation(summary = "List the branches of a session")
	@GetMapping("/sessions/{sessionId}/branches")
	@ApiResponse(responseCode = "200", description = "The sessions forked or edited from this one, newest first")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	SessionPageResponse listBranches(@PathVariable String sessionId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return SessionPageResponse
			.from(this.manager.listBranches(sessionId, page, size, owner(this.accessPolicy.currentAccess())));
	}

	@Operation(summary = "Delete a session")
	@DeleteMapping("/sessions/{sessionId}")
	@ApiResponse(responseCode = "204", description = "Deleted with its messages, summaries and index entries")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void deleteSession(@PathVariable String sessionId) {
		if (!this.manager.deleteSession(sessionId, owner(this.accessPolicy.currentAccess()))) {
			throw new SessionNotFoundException(sessionId);
		}
	}

	/**
	 * Append a message. With {@code If-Match} the session must be at one of the named
	 * versions, decided atomically with the append; a retry of a message that is stored
	 * already returns it whatever the version, as it writes nothing.
	 */
	@Operation(summary = "Append messages")
	@PostMapping(path = "/sessions/{sessionId}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "201", description = "Stored (or stored already); the ETag is the session's version after this write, absent for a retry that wrote nothing")
	@ApiResponse(responseCode = "400", description = "Invalid message or malformed If-Match")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ApiResponse(responseCode = "409", description = "Session deactivated, or Idempotency-Key reused")
	@ApiResponse(responseCode = "412", description = "If-Match names another version than the session's")
	ResponseEntity<MessageResponse> appendMessage(@PathVariable String sessionId,
			@RequestBody AppendMessageRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			@RequestHeader(name = EntityTags.IF_MATCH, required = false) @Nullable List<String> ifMatch) {
		SessionAccess access = this.accessPolicy.currentAccess();
		NewMessage message = request.toNewMessage(idempotencyKey);
		Long expectedVersion = expectedVersion(EntityTags.parseIfMatch(ifMatch), access, sessionId);
		// the owner (and the version) are checked by the store in the same atomic step as the append
		VersionedMessages stored = this.manager.appendMessagesAtVersion(sessionId, List.of(message), expectedVersion,
				owner(access));
		ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED);
		if (stored.version() != null) {
			// a retry that wrote nothing has no version of its own, and so no entity tag
			response.eTag(EntityTags.of(stored.version()));
		}
		return response.body(MessageResponse.from(stored.messages().get(0)));
	}

	@Operation(summary = "Read messages")
	@GetMapping("/sessions/{sessionId}/messages")
	@ApiResponse(responseCode = "200", description = "The messages; the ETag is the session's version they were read at")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	ResponseEntity<MessageListResponse> getMessages(@PathVariable String sessionId,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable Long before,
			@RequestParam(required = false) @Nullable Long after) {
		visibleSession(sessionId);
		// the API returns no media, so they stay in the store
		VersionedMessages messages = this.manager.getVersionedMessages(sessionId,
				new MessageQuery(before, after, limit).withoutMedia());
		MessageListResponse body = new MessageListResponse(
				messages.messages().stream().map(MessageResponse::from).toList());
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (messages.version() != null) {
			// a read that spanned a write has no one version, and so no entity tag
			response.eTag(EntityTags.of(messages.version()));
		}
		return response.body(body);
	}

	@Operation(summary = "Clear a session's messages")
	@DeleteMapping("/sessions/{sessionId}/messages")
	@ApiResponse(responseCode = "204", description = "Every message removed, the session kept")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void clearMessages(@PathVariable String sessionId) {
		this.manager.clearMessages(sessionId, owner(this.accessPolicy.currentAccess()));
	}

	@Operation(summary = "Search one session by keyword")
	@PostMapping(path = "/sessions/{sessionId}/search", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", description = "The hits, newest first")
	@ApiResponse(responseCode = "400", description = "A missing or too long query, or a page or limit out of range")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	SearchResponse searchSession(@PathVariable String sessionId, @RequestBody SearchRequest request) {
		visibleSession(sessionId);
		return SearchResponse.from(this.manager.searchSession(sessionId, request.query(),
				(request.page() != null) ? request.page() : 0, (request.limit() != null) ? request.limit() : 20));
	}

	@Operation(summary = "Search a user's sessions by keyword")
	@GetMapping("/users/{userId}/search")
	@ApiResponse(responseCode = "200", description = "The hits, newest first")
	@ApiResponse(responseCode = "400", description = "A missing or too long q, or a page or limit out of range")
	@ApiResponse(responseCode = "404", description = "Another user's sessions")
	SearchResponse searchUser(@PathVariable String userId,
			@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(defaultValue = "20") int limit, @RequestParam(defaultValue = "0") int page) {
		checkUserVisible(userId);
		return SearchResponse.from(this.manager.searchUserSessions(userId, query, page, limit));
	}

	/**
	 * Semantic recall: the messages of a user's sessions most similar in meaning to
	 * {@code q}, most similar first. With recall off ({@code chat-memory.recall.enabled})
	 * it answers 404, naming the property, once the user is found to be visible.
	 */
	@Operation(summary = "Recall a user's messages by meaning")
	@GetMapping("/users/{userId}/recall")
	@ApiResponse(responseCode = "200", description = "The messages found, most similar first")
	@ApiResponse(responseCode = "400", description = "A missing or blank q, or a limit out of range")
	@ApiResponse(responseCode = "404",
			description = "Another user's sessions, or semantic recall is off (chat-memory.recall.enabled)")
	@ApiResponse(responseCode = "503", description = "The store, the embedding model or the vector store is unavailable")
	RecallResponse recall(@PathVariable String userId, @RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(defaultValue = "10") int limit) {
		checkUserVisible(userId);
		return RecallResponse.from(this.manager.recall(userId, query, limit));
	}

	@Operation(summary = "Read the context window")
	@GetMapping("/sessions/{sessionId}/context")
	@ApiResponse(responseCode = "200", description = "The window: the messages sent to a model, and which were left out and why")
	@ApiResponse(responseCode = "400", description = "A limit out of range")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	ContextWindowResponse contextWindow(@PathVariable String sessionId,
			@RequestParam(name = "max_messages", required = false) @Nullable Integer maxMessages,
			@RequestParam(name = "max_tokens", required = false) @Nullable Integer maxTokens,
			@RequestParam(name = "start_on_user_message", required = false) @Nullable Boolean startOnUserMessage) {
		visibleSession(sessionId);
		WindowPolicy policy = this.manager.getDefaultWindowPolicy().withoutMedia();
		if (maxMessages != null) {
			policy = policy.withMaxMessages(inRange("max_messages", maxMessages, this.maxPageSize));
		}
		if (maxTokens != null) {
			policy = policy.withMaxTokens(inRange("max_tokens", maxTokens, MAX_CONTEXT_TOKENS));
		}
		if (startOnUserMessage != null) {
			policy = policy.withStartOnUserMessage(startOnUserMessage);
		}
		return ContextWindowResponse.from(this.manager.getContextWindow(sessionId, policy));
	}

	/**
	 * Make a summary of a session now and wait for it: the messages the default window
	 * leaves out and the latest summary does not cover, folded into that summary. It takes
	 * no body. With summaries off ({@code chat-memory.summary.enabled=false}) it answers
	 * 409, naming the property, once the session is found to be the caller's.
	 */
	@Operation(summary = "Summarize a session now")
	@PostMapping("/sessions/{sessionId}/summarize")
	@ApiResponse(responseCode = "200", description = "The summary made")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ApiResponse(responseCode = "409", description = "Nothing to summarize, a summary of the session is being made, "
			+ "the session moved on meanwhile, or summaries are off (chat-memory.summary.enabled)")
	@ApiResponse(responseCode = "503", description = "The store or the summarizer is unavailable, or took too long")
	SummaryResponse summarize(@PathVariable String sessionId) {
		return SummaryResponse.from(this.manager.summarize(sessionId, owner(this.accessPolicy.currentAccess())));
	}

	@Operation(summary = "List a session's summaries")
	@GetMapping("/sessions/{sessionId}/summaries")
	@ApiResponse(responseCode = "200", description = "The session's summaries, newest first")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	SummaryPageResponse listSummaries(@PathVariable String sessionId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return SummaryPageResponse
			.from(this.manager.getSummaries(sessionId, page, size, owner(this.accessPolicy.currentAccess())));
	}

	/**
	 * The document is a snapshot read page by page in bounded store replies, and held in
	 * memory only up to the import size limit: what an import would refuse is refused
	 * (422) before the first byte is written.
	 */
	@Operation(summary = "Export a session")
	@GetMapping("/sessions/{sessionId}/export")
	@ApiResponse(responseCode = "200", description = "The export document, as an attachment")
	@ApiResponse(responseCode = "404", description = "No such session, or another user's")
	@ApiResponse(responseCode = "413", description = "More messages than an import accepts")
	ResponseEntity<byte[]> exportSession(@PathVariable String sessionId) {
		ChatSession session = visibleSession(sessionId);
		ContentDisposition disposition = ContentDisposition.attachment()
			.filename("chat-session-" + session.id() + ".json", StandardCharsets.UTF_8)
			.build();
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(this.transfer.exportBytes(session.id()));
	}

	/**
	 * Import a document. A caller restricted to their own sessions imports only their own
	 * documents and keeps the document's id (or {@code session_id}) only to replace their
	 * own session; in every other case the session gets a new id, so that an import
	 * tells nothing about ids that other users hold.
	 */
	@Operation(summary = "Import a session")
	@PostMapping(path = "/sessions/import", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "201", description = "Imported, at the Location header; the ETag is its version")
	@ApiResponse(responseCode = "400", description = "Invalid document or malformed If-Match")
	@ApiResponse(responseCode = "404", description = "With If-Match: no such session to replace, or another user's")
	@ApiResponse(responseCode = "409", description = "The session id is taken and replace is not set")
	@ApiResponse(responseCode = "412", description = "If-Match names another version than the replaced session's")
	ResponseEntity<SessionResponse> importSession(HttpServletRequest request,
			@RequestParam(name = "session_id", required = false) @Nullable String sessionId,
			@RequestParam(name = "new_id", defaultValue = "false") boolean newId,
			@RequestParam(name = "replace", defaultValue = "false") boolean replace,
			@RequestHeader(name = EntityTags.IF_MATCH, required = false) @Nullable List<String> ifMatch) {
		SessionAccess access = this.accessPolicy.currentAccess();
		EntityTags precondition = EntityTags.parseIfMatch(ifMatch);
		// the body, its tree and the document are held at once: as many imports as the
		// transfer limit allows may do so
		return this.transfer
			.withinLimit(() -> importSession(request, access, sessionId, newId, replace, precondition));
	}

	private ResponseEntity<SessionResponse> importSession(HttpServletRequest request, SessionAccess access,
			@Nullable String sessionId, boolean newId, boolean replace, @Nullable EntityTags ifMatch) {
		SessionExportDocument document = SessionTransfer.fromJson(readLimited(request), this.maxImportBytes);
		if (ifMatch != null) {
			return importAtVersion(request, document, access, sessionId, replace, ifMatch);
		}
		ImportOptions options = new ImportOptions(sessionId, newId, replace);
		if (access instanceof SessionAccess.OwnSessions own) {
			// a document without a session fails validation below; one with a session must be the caller's
			if (document.session() != null && !own.maySee(document.session().userId())) {
				throw new ResponseStatusException(HttpStatus.FORBIDDEN,
						"session.user_id: must be your own user id '" + own.userId() + "'");
			}
			if (sessionId != null) {
				// refused even where it would not be used, named as the import names it
				this.ids.id("session.id", sessionId);
			}
			String targetId = (sessionId != null) ? sessionId
					: (document.session() != null && !newId) ? document.session().id() : null;
			boolean replacesOwn = replace && targetId != null
					&& findQuietly(targetId).map((existing) -> own.maySee(existing.userId())).orElse(false);
			options = replacesOwn ? new ImportOptions(targetId, false, true) : ImportOptions.newId();
		}
		ChatSession session;
		try {
			session = this.transfer.importDocument(document, options, owner(access));
		}
		catch (SessionNotFoundException ex) {
			// the caller's session became another user's after the check above: the store
			// refused atomically, and the import goes on as for any id that is not the caller's
			session = this.transfer.importDocument(document, ImportOptions.newId(), owner(access));
		}
		return created(request, session);
	}

	/**
	 * The answer of a write that made a session (an import, a fork, an edit): 201 with
	 * the new session's address, the request's up to its {@code /sessions/} (ids hold no
	 * slash).
	 */
	private static ResponseEntity<SessionResponse> created(HttpServletRequest request, ChatSession session) {
		String uri = request.getRequestURI();
		URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
			.replacePath(uri.substring(0, uri.lastIndexOf("/sessions/")) + "/sessions/{id}")
			.replaceQuery(null)
			.buildAndExpand(session.id())
			.toUri();
		return ResponseEntity.created(location)
			.eTag(EntityTags.of(session.version()))
			.body(SessionResponse.from(session));
	}

	private static ResponseEntity<SessionResponse> versioned(HttpStatus status, ChatSession session) {
		return ResponseEntity.status(status).eTag(EntityTags.of(session.version())).body(SessionResponse.from(session));
	}

	/**
	 * The version a write should expect from its {@code If-Match}, reading the session
	 * first (404 when it is missing or another user's) only when the answer depends on
	 * it; the store then decides atomically.
	 */
	private @Nullable Long expectedVersion(@Nullable EntityTags ifMatch, SessionAccess access, String sessionId) {
		if (ifMatch == null) {
			return null;
		}
		Long current = ifMatch.needsCurrentVersion() ? visibleSession(access, sessionId).version() : null;
		return ifMatch.expectedVersion(current);
	}

	/**
	 * The version an import must expect: as for other writes, except that {@code *} expects
	 * the version just read, since an import without an expected version would create a
	 * session deleted meanwhile, where {@code *} asks for an existing one.
	 */
	private @Nullable Long expectedImportVersion(@Nullable EntityTags ifMatch, SessionAccess access,
			String sessionId) {
		if (ifMatch != null && ifMatch.any()) {
			return visibleSession(access, sessionId).version();
		}
		return expectedVersion(ifMatch, access, sessionId);
	}

	/**
	 * A fork's problem with its point as the body names it: the manager names the fork
	 * point by its Java parameter ({@code atMessageId}, or {@code messageId} as branches
	 * share their checks).
	 */
	private static ChatMemoryValidationException asJsonField(ChatMemoryValidationException ex) {
		if ("atMessageId".equals(ex.getField()) || "messageId".equals(ex.getField())) {
			return new ChatMemoryValidationException("at_message_id", ex.getRule(), ex);
		}
		return ex;
	}

	/**
	 * A version-checked import replaces one existing session, the caller's, and nothing
	 * else: never a new id, never a fallback.
	 */
	private ResponseEntity<SessionResponse> importAtVersion(HttpServletRequest request,
			SessionExportDocument document, SessionAccess access, @Nullable String sessionId, boolean replace,
			EntityTags ifMatch) {
		if (!replace) {
			throw new ChatMemoryValidationException("replace", "must be true with If-Match: a version-checked import "
					+ "replaces an existing session");
		}
		String targetId = (sessionId != null) ? sessionId
				: (document.session() != null) ? document.session().id() : null;
		if (targetId == null) {
			throw new ChatMemoryValidationException("session_id", "must name the session to replace with If-Match");
		}
		if (access instanceof SessionAccess.OwnSessions own && document.session() != null
				&& !own.maySee(document.session().userId())) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN,
					"session.user_id: must be your own user id '" + own.userId() + "'");
		}
		Long expectedVersion = expectedImportVersion(ifMatch, access, this.ids.id("session_id", targetId));
		ChatSession session = this.transfer.importDocument(document, new ImportOptions(targetId, false, true),
				owner(access), expectedVersion);
		return created(request, session);
	}

	@Operation(summary = "Read the statistics")
	@GetMapping("/statistics")
	@ApiResponse(responseCode = "200", description = "The statistics")
	@ApiResponse(responseCode = "403", description = "Callers who see only their own sessions")
	StatisticsResponse statistics() {
		this.accessPolicy.checkAdministrator();
		return StatisticsResponse.from(this.manager.getStatistics());
	}

	@Operation(summary = "Delete inactive sessions")
	@PostMapping(path = "/cleanup", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", description = "How many sessions were deleted")
	@ApiResponse(responseCode = "400", description = "older_than_days missing or out of range")
	@ApiResponse(responseCode = "403", description = "Callers who see only their own sessions")
	CleanupResponse cleanup(@RequestBody CleanupRequest request) {
		this.accessPolicy.checkAdministrator();
		Integer days = request.olderThanDays();
		if (days == null || days < 1 || days > MAX_CLEANUP_DAYS) {
			throw new ChatMemoryValidationException("older_than_days",
					"must be between 1 and " + MAX_CLEANUP_DAYS + " but was " + days);
		}
		return new CleanupResponse(this.manager.cleanupOlderThan(Duration.ofDays(days)));
	}

	/**
	 * Public, like an actuator health endpoint: it needs no user and tells only whether
	 * the store answers, its type and the time it took. With the actuator's health
	 * indicator, it answers what the indicator says, within the same timeout.
	 */
	@Operation(summary = "Check the store")
	@GetMapping("/health")
	@ApiResponse(responseCode = "200", description = "The store answers")
	@ApiResponse(responseCode = "503", description = "The store does not answer; Retry-After says when to try again")
	ResponseEntity<HealthResponse> health() {
		HealthResponse health = (this.healthCheck != null) ? this.healthCheck.get() : null;
		if (health == null) {
			health = ping();
		}
		if ("UP".equals(health.status())) {
			return ResponseEntity.ok(health);
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, ChatMemoryProblemHandler.RETRY_AFTER_SECONDS)
			.body(health);
	}

	private HealthResponse ping() {
		String store = this.manager.getStore().type();
		long start = System.nanoTime();
		try {
			this.manager.ping();
			return new HealthResponse("UP", store, elapsedMillis(start), null);
		}
		catch (ChatMemoryUnavailableException ex) {
			return new HealthResponse("DOWN", store, elapsedMillis(start), ex.getMessage());
		}
	}

	private static double elapsedMillis(long start) {
		return (System.nanoTime() - start) / 1_000_000.0;
	}

	private String readLimited(HttpServletRequest request) {
		try {
			return readBody(request);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String readBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxImportBytes) {
			throw new ImportTooLargeException("document: must be at most " + this.maxImportBytes + " bytes but has "
					+ request.getContentLengthLong());
		}
		try (InputStream body = request.getInputStream()) {
			byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxImportBytes + 1));
			if (bytes.length > this.maxImportBytes) {
				throw new ImportTooLargeException("document: must be at most " + this.maxImportBytes + " bytes");
			}
			try {
				return StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes))
					.toString();
			}
			catch (CharacterCodingException ex) {
				throw new ChatMemoryValidationException("document", "must be UTF-8 text", ex);
			}
		}
	}

	/**
	 * The session, if the current request may see it; a session of another user is
	 * reported as missing, so that ids of other users' sessions cannot be probed.
	 */
	private ChatSession visibleSession(String sessionId) {
		return visibleSession(this.accessPolicy.currentAccess(), sessionId);
	}

	private ChatSession visibleSession(SessionAccess access, String sessionId) {
		ChatSession session = this.manager.getSession(sessionId);
		if (!access.maySee(session.userId())) {
			throw new SessionNotFoundException(session.id());
		}
		return session;
	}

	private Optional<ChatSession> findQuietly(String sessionId) {
		try {
			return this.manager.findSession(sessionId);
		}
		catch (ChatMemoryValidationException ex) {
			// an invalid id is reported by the import itself, under its own field name
			return Optional.empty();
		}
	}

	private void checkUserVisible(String userId) {
		if (!this.accessPolicy.currentAccess().maySee(userId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "User '" + userId + "' has no sessions you can see");
		}
	}

	/**
	 * The user a write must be made for, checked by the store atomically with the write,
	 * or {@code null} when the caller may act on every session.
	 */
	private static @Nullable String owner(SessionAccess access) {
		return (access instanceof SessionAccess.OwnSessions own) ? own.userId() : null;
	}

	private static String ownUserId(SessionAccess access, String field, @Nullable String userId) {
		if (access instanceof SessionAccess.OwnSessions own) {
			if (userId != null && !userId.equals(own.userId())) {
				throw new ResponseStatusException(HttpStatus.FORBIDDEN,
						field + ": must be your own user id '" + own.userId() + "'");
			}
			return own.userId();
		}
		return required(field, userId);
	}

	private static int inRange(String field, int value, int max) {
		if (value < 1 || value > max) {
			throw new ChatMemoryValidationException(field, "must be between 1 and " + max + " but was " + value);
		}
		return value;
	}

}
