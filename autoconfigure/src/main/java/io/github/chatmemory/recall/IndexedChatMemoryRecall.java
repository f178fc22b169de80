package io.github.chatmemory.recall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.chatmemory.ChatMemoryException;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * {@link ChatMemoryRecall} over a {@link RecallIndex}: searches the user's vectors, then
 * checks every match against the chat memory store (the session exists, belongs to the
 * user and is not left out, the message is still stored under that id) so that a vector
 * the indexer has not removed yet never shows a deleted message or another user's. The
 * snippet comes from the stored message, never from the index. A match whose session or
 * message is gone queues a rebuild of the session, which removes its stale vectors.
 */
public class IndexedChatMemoryRecall implements ChatMemoryRecall {

	private static final int SESSIONS_PAGE = 100;

	/** The most times a user's sessions are listed for a re-index. */
	private static final int MAX_SWEEPS = 5;

	private static final Log logger = LogFactory.getLog(IndexedChatMemoryRecall.class);

	private final ChatMemoryStore store;

	private final RecallIndex index;

	private final RecallIndexingSettings settings;

	private final int snippetLength;

	private final int maxCandidates;

	private final RecallListener listener;

	/**
	 * Create a recall.
	 * @param store the chat memory store, whose recall queue is enabled
	 * @param index the index the indexer keeps in line with the store
	 * @param settings what is indexed, so that a match of a role no longer indexed is left out
	 * @param snippetLength the most characters of a message's text in a hit
	 * @param maxCandidates the most matches read from the index per recall, however many
	 * are asked for, which bounds a recall's work
	 * @param listener told how long recalls take
	 */
	public IndexedChatMemoryRecall(ChatMemoryStore store, RecallIndex index, RecallIndexingSettings settings,
			int snippetLength, int maxCandidates, RecallListener listener) {
		Assert.isTrue(snippetLength > 0, "snippetLength must be positive");
		Assert.isTrue(maxCandidates > 0, "maxCandidates must be positive");
		this.store = store;
		this.index = index;
		this.settings = settings;
		this.snippetLength = snippetLength;
		this.maxCandidates = maxCandidates;
		this.listener = listener;
	}

	@Override
	public RecallResult recall(String userId, String query, int limit, Set<String> excludedSessionIds) {
		long start = System.nanoTime();
		// over-fetched, so that matches left out as stale still leave enough
		int topK = (int) Math.min(this.maxCandidates, Math.max(limit * 4L, limit + 10L));
		List<RecallIndex.Match> matches = search(userId, query, topK, excludedSessionIds);
		Map<String, Optional<ChatSession>> sessions = new HashMap<>();
		List<Candidate> candidates = new ArrayList<>();
		Set<String> gone = new HashSet<>();
		for (RecallIndex.Match match : matches) {
			if (!userId.equals(match.userId()) || excludedSessionIds.contains(match.sessionId())) {
				continue;
			}
			ChatSession session = sessions.computeIfAbsent(match.sessionId(), this.store::findSession).orElse(null);
			if (session == null || !userId.equals(session.userId())) {
				// the vector outlived its session, or the session was imported for someone else
				gone.add(match.sessionId());
				continue;
			}
			StoredMessage message = message(match);
			if (message == null) {
				// trimmed by a history limit (which queues nothing) or removed meanwhile: a
				// rebuild of the session drops its vectors, so they stop taking candidates' places
				gone.add(match.sessionId());
				continue;
			}
			if (this.settings.textToIndex(message.role(), message.content()) == null) {
				continue;
			}
			candidates.add(new Candidate(session, message, match.score()));
		}
		gone.forEach(this.store::queueRecallRebuild);
		candidates.sort(Comparator.comparingDouble(Candidate::score)
			.reversed()
			.thenComparing((Candidate candidate) -> candidate.session().updatedAt(), Comparator.reverseOrder())
			.thenComparing((Candidate candidate) -> candidate.message().sequence(), Comparator.reverseOrder()));
		List<RecallHit> hits = candidates.stream().limit(limit).map(this::hit).toList();
		this.listener.recalled(Duration.ofNanos(System.nanoTime() - start));
		return new RecallResult(hits);
	}

	private List<RecallIndex.Match> search(String userId, String query, int topK, Set<String> excludedSessionIds) {
		try {
			return this.index.search(userId, query, topK, excludedSessionIds);
		}
		catch (ChatMemoryException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new ChatMemoryUnavailableException("Semantic recall is unavailable: the recall index ("
					+ this.index.description() + ") or the embedding model failed: " + ex.getMessage(), ex);
		}
	}

	private @Nullable StoredMessage message(RecallIndex.Match match) {
		try {
			return this.store.findMessage(match.sessionId(), match.messageId()).orElse(null);
		}
		catch (SessionNotFoundException ex) {
			// deleted since it was read
			return null;
		}
	}

	private RecallHit hit(Candidate candidate) {
		StoredMessage message = candidate.message();
		String text = message.content().strip();
		String snippet = text;
		if (text.length() > this.snippetLength) {
			// never half of a surrogate pair at the cut
			int end = Character.isHighSurrogate(text.charAt(this.snippetLength - 1)) ? this.snippetLength - 1
					: this.snippetLength;
			snippet = text.substring(0, end) + "…";
		}
		return new RecallHit(message.sessionId(), candidate.session().title(), message.id(), message.sequence(),
				message.role(), candidate.score(), snippet, message.createdAt());
	}

	@Override
	public long reindex(@Nullable String userId) {
		try {
			if (userId == null) {
				this.index.deleteAll();
				return this.store.queueRecallRebuildOfAllSessions();
			}
			this.index.deleteUser(userId);
		}
		catch (ChatMemoryException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new ChatMemoryUnavailableException(
					"The recall index (" + this.index.description() + ") failed to remove vectors: " + ex.getMessage(),
					ex);
		}
		// the listing is by activity: a session written while it is paged moves to the front,
		// past the pages read, and its vectors are gone now; so page again until a pass finds
		// no session it has not queued
		Set<String> queued = new HashSet<>();
		for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
			if (queueRebuilds(userId, queued) == 0 && sweep > 0) {
				return queued.size();
			}
		}
		logger.warn("Re-index of user '" + userId + "': sessions kept moving in the listing while it was read "
				+ MAX_SWEEPS + " times; a session written all along may need another re-index");
		return queued.size();
	}

	/** Queue a rebuild of every session of the user not queued yet; how many were. */
	private int queueRebuilds(String userId, Set<String> queued) {
		int added = 0;
		for (int page = 0;; page++) {
			PagedResult<ChatSession> sessions = this.store.findSessionsByUser(userId, page, SESSIONS_PAGE);
			for (ChatSession session : sessions.items()) {
				if (queued.add(session.id())) {
					this.store.queueRecallRebuild(session.id());
					added++;
				}
			}
			if (sessions.items().size() < SESSIONS_PAGE) {
				return added;
			}
		}
	}

	private record Candidate(ChatSession session, StoredMessage message, double score) {

	}

}
