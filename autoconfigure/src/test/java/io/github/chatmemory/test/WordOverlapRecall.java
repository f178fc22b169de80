package io.github.chatmemory.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.recall.ChatMemoryRecall;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.recall.RecallResult;
import org.jspecify.annotations.Nullable;

/**
 * A test-only {@link ChatMemoryRecall} that scores a message by the share of the query's
 * words it contains, reading the user's sessions through the manager: enough to test
 * what sits on top of recall (REST, client, advisor, tool) without an embedding model.
 * It reads at most 100 sessions of 200 messages each.
 */
public final class WordOverlapRecall implements ChatMemoryRecall {

	private final Supplier<ChatMemoryManager> manager;

	private final List<String> reindexed = new ArrayList<>();

	/**
	 * Create the recall.
	 * @param manager the manager it reads, supplied lazily since the manager is built with
	 * this recall
	 */
	public WordOverlapRecall(Supplier<ChatMemoryManager> manager) {
		this.manager = manager;
	}

	@Override
	public RecallResult recall(String userId, String query, int limit, Set<String> excludedSessionIds) {
		Set<String> words = words(query);
		List<RecallHit> hits = new ArrayList<>();
		ChatMemoryManager manager = this.manager.get();
		for (ChatSession session : manager.listSessions(userId, 0, 100).items()) {
			if (excludedSessionIds.contains(session.id())) {
				continue;
			}
			for (StoredMessage message : manager.getMessages(session.id(), MessageQuery.latest(200))) {
				Set<String> found = words(message.content());
				long shared = words.stream().filter(found::contains).count();
				if (shared > 0) {
					hits.add(new RecallHit(session.id(), session.title(), message.id(), message.sequence(),
							message.role(), (double) shared / words.size(), message.content(), message.createdAt()));
				}
			}
		}
		hits.sort(Comparator.comparingDouble(RecallHit::score)
			.reversed()
			.thenComparing(RecallHit::createdAt, Comparator.reverseOrder()));
		return new RecallResult(hits.subList(0, Math.min(limit, hits.size())));
	}

	@Override
	public synchronized long reindex(@Nullable String userId) {
		this.reindexed.add((userId != null) ? userId : "*");
		return (userId != null) ? this.manager.get().listSessions(userId, 0, 100).totalItems() : 0;
	}

	/**
	 * The users re-indexed so far, {@code *} for every user.
	 * @return the users, in call order
	 */
	public synchronized List<String> reindexed() {
		return List.copyOf(this.reindexed);
	}

	private static Set<String> words(String text) {
		return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
			.filter((word) -> word.length() > 2)
			.collect(Collectors.toSet());
	}

}
