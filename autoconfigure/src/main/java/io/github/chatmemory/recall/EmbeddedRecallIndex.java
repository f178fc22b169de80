package io.github.chatmemory.recall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.util.Assert;

/**
 * A {@link RecallIndex} in the JVM heap, for applications without a vector store: unit
 * vectors from the {@link EmbeddingModel}, kept in one partition per user and compared by
 * dot product. Single-instance: the vectors live in this JVM, are lost on restart (and
 * rebuilt from the store then) and are not shared with other instances. Bounded: past
 * {@code maxVectors}, the vectors added longest ago are dropped, so recall then covers the
 * most recently indexed messages only.
 */
public class EmbeddedRecallIndex implements RecallIndex {

	private static final Log logger = LogFactory.getLog(EmbeddedRecallIndex.class);

	private final EmbeddingModel embeddingModel;

	private final int maxVectors;

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Every vector by document id, added longest ago first, so that the bound drops the head. */
	private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

	private final Map<String, Map<String, Entry>> byUser = new HashMap<>();

	private final Map<String, Set<String>> bySession = new HashMap<>();

	private boolean boundReported;

	/**
	 * Create an empty index.
	 * @param embeddingModel the model that embeds texts and queries
	 * @param maxVectors the most vectors kept
	 */
	public EmbeddedRecallIndex(EmbeddingModel embeddingModel, int maxVectors) {
		Assert.isTrue(maxVectors > 0, "maxVectors must be positive");
		this.embeddingModel = embeddingModel;
		this.maxVectors = maxVectors;
	}

	@Override
	public void add(List<RecallDocument> documents) {
		if (documents.isEmpty()) {
			return;
		}
		// embedded outside the lock: a search never waits for the model on an indexing pass
		List<float[]> vectors = this.embeddingModel.embed(documents.stream().map(RecallDocument::text).toList());
		Assert.state(vectors.size() == documents.size(), "The embedding model returned " + vectors.size()
				+ " vectors for " + documents.size() + " texts");
		write(() -> {
			for (int i = 0; i < documents.size(); i++) {
				RecallDocument document = documents.get(i);
				put(new Entry(document.id(), document.userId(), document.sessionId(), document.messageId(),
						unit(vectors.get(i))));
			}
			dropOverBound();
			return null;
		});
	}

	private void put(Entry entry) {
		remove(entry.id);
		this.entries.put(entry.id, entry);
		this.byUser.computeIfAbsent(entry.userId, (user) -> new HashMap<>()).put(entry.id, entry);
		this.bySession.computeIfAbsent(entry.sessionId, (session) -> new HashSet<>()).add(entry.id);
	}

	private void remove(String id) {
		Entry entry = this.entries.remove(id);
		if (entry == null) {
			return;
		}
		Map<String, Entry> user = this.byUser.get(entry.userId);
		user.remove(id);
		if (user.isEmpty()) {
			this.byUser.remove(entry.userId);
		}
		Set<String> session = this.bySession.get(entry.sessionId);
		session.remove(id);
		if (session.isEmpty()) {
			this.bySession.remove(entry.sessionId);
		}
	}

	private void dropOverBound() {
		if (this.entries.size() > this.maxVectors && !this.boundReported) {
			this.boundReported = true;
			logger.warn("The embedded recall index holds its maximum of " + this.maxVectors
					+ " vectors: the vectors indexed longest ago are dropped, so recall covers the newest messages "
					+ "only. Raise chat-memory.recall.embedded.max-vectors, or use a vector store");
		}
		while (this.entries.size() > this.maxVectors) {
			remove(this.entries.keySet().iterator().next());
		}
	}

	@Override
	public void deleteSession(String sessionId) {
		write(() -> {
			Set<String> ids = this.bySession.get(sessionId);
			if (ids != null) {
				List.copyOf(ids).forEach(this::remove);
			}
			return null;
		});
	}

	@Override
	public void deleteUser(String userId) {
		write(() -> {
			Map<String, Entry> ids = this.byUser.get(userId);
			if (ids != null) {
				List.copyOf(ids.keySet()).forEach(this::remove);
			}
			return null;
		});
	}

	@Override
	public void deleteAll() {
		write(() -> {
			this.entries.clear();
			this.byUser.clear();
			this.bySession.clear();
			return null;
		});
	}

	@Override
	public List<Match> search(String userId, String query, int topK, Set<String> excludedSessionIds) {
		float[] queryVector = unit(this.embeddingModel.embed(query));
		PriorityQueue<Match> best = new PriorityQueue<>(Comparator.comparingDouble(Match::score));
		read(() -> {
			for (Entry entry : this.byUser.getOrDefault(userId, Map.of()).values()) {
				if (excludedSessionIds.contains(entry.sessionId)) {
					continue;
				}
				best.add(new Match(entry.userId, entry.sessionId, entry.messageId, dot(queryVector, entry.vector)));
				if (best.size() > topK) {
					best.poll();
				}
			}
			return null;
		});
		List<Match> matches = new ArrayList<>(best);
		matches.sort(Comparator.comparingDouble(Match::score).reversed());
		return matches;
	}

	/**
	 * Return how many vectors the index holds.
	 * @return the number of vectors
	 */
	public int size() {
		return read(this.entries::size);
	}

	/**
	 * Return the ids of the messages of a session that have a vector.
	 * @param sessionId the session
	 * @return the message ids
	 */
	public Set<String> messageIds(String sessionId) {
		return read(() -> {
			Set<String> messageIds = new HashSet<>();
			for (String id : this.bySession.getOrDefault(sessionId, Set.of())) {
				messageIds.add(this.entries.get(id).messageId);
			}
			return messageIds;
		});
	}

	/**
	 * Return the owner a session's vectors are stored for.
	 * @param sessionId the session
	 * @return the owners found on its vectors, empty if it has none
	 */
	public Set<String> usersOf(String sessionId) {
		return read(() -> {
			Set<String> users = new HashSet<>();
			for (String id : this.bySession.getOrDefault(sessionId, Set.of())) {
				users.add(this.entries.get(id).userId);
			}
			return users;
		});
	}

	@Override
	public String description() {
		return "embedded (in this JVM, at most " + this.maxVectors + " vectors)";
	}

	private static float[] unit(float[] vector) {
		double norm = 0;
		for (float value : vector) {
			norm += value * value;
		}
		norm = Math.sqrt(norm);
		if (norm == 0 || Math.abs(norm - 1) < 1e-6) {
			return vector;
		}
		float[] unit = new float[vector.length];
		for (int i = 0; i < vector.length; i++) {
			unit[i] = (float) (vector[i] / norm);
		}
		return unit;
	}

	private static double dot(float[] a, float[] b) {
		Assert.state(a.length == b.length, () -> "The query has " + a.length + " dimensions but an indexed vector has "
				+ b.length + ": the embedding model changed; re-index recall");
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

	private <T> T read(Supplier<T> action) {
		this.lock.readLock().lock();
		try {
			return action.get();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private <T> T write(Supplier<T> action) {
		this.lock.writeLock().lock();
		try {
			return action.get();
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private record Entry(String id, String userId, String sessionId, String messageId, float[] vector) {

	}

}
