package io.github.chatmemory.recall;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.autoconfigure.ChatMemoryRecallProperties;
import io.github.chatmemory.recall.RecallDatasetTests.Conversation;
import io.github.chatmemory.recall.RecallDatasetTests.Dataset;
import io.github.chatmemory.recall.RecallDatasetTests.Query;
import io.github.chatmemory.search.SearchHit;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures semantic recall's recall@5 on the labelled dataset through the real API, side
 * by side with keyword search, and writes the table to
 * {@code target/recall-quality.md} for the docs to quote.
 */
class RecallQualityTests {

	private static final int TOP = 5;

	private static final double GOAL = 0.9;

	private static Dataset dataset;

	private static MiniLmEmbeddingModel model;

	/** The engine on its embedded index, also used for keyword search. */
	private static Loaded embedded;

	/** The engine on Spring AI's SimpleVectorStore, as on an application's vector store. */
	private static Loaded onVectorStore;

	@BeforeAll
	static void loadDatasetIntoChatMemory() throws IOException {
		try (InputStream input = new ClassPathResource("recall/conversations.json").getInputStream()) {
			dataset = JsonMapper.builder().build().readValue(input, Dataset.class);
		}
		model = new MiniLmEmbeddingModel();
		ChatMemoryRecallProperties properties = new ChatMemoryRecallProperties();
		embedded = load(new EmbeddedRecallIndex(model, properties.getEmbedded().getMaxVectors()), properties);
		onVectorStore = load(new VectorStoreRecallIndex(SimpleVectorStore.builder(model).build(), "vectorStore"),
				properties);
	}

	/**
	 * Load every conversation through the API into a manager with recall on, built as the
	 * autoconfiguration builds it, and index them all.
	 */
	private static Loaded load(RecallIndex index, ChatMemoryRecallProperties properties) {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(100, 100, clock);
		store.enableRecallTasks();
		RecallIndexer indexer = new RecallIndexer(store, index, properties.toSettings(), RecallListener.NONE,
				RecallIndexer.Lock.NONE, false, clock);
		ChatMemoryManager manager = ChatMemoryManager.builder(store)
			.recall(new IndexedChatMemoryRecall(store, index, properties.toSettings(), properties.getSnippetLength(),
					properties.getMaxCandidates(), RecallListener.NONE))
			.build();
		long start = System.nanoTime();
		int messages = 0;
		for (Conversation conversation : dataset.conversations()) {
			manager.createSession(new NewSession(conversation.id(), conversation.user(), conversation.title(), Map.of()));
			manager.appendMessages(conversation.id(), conversation.messages()
				.stream()
				.map((message) -> NewMessage
					.of(MessageRole.valueOf(message.role().toUpperCase(Locale.ROOT)), message.content())
					.withId(message.id()))
				.toList());
			messages += conversation.messages().size();
			clock.advance(Duration.ofMinutes(1));
		}
		int indexed = indexAll(indexer, store);
		// every message of the dataset is long enough to be indexed: the comparison is fair
		assertThat(indexed).isEqualTo(messages);
		return new Loaded(manager, (System.nanoTime() - start) / 1e6 / messages);
	}

	/**
	 * Index every queued message now, on this thread, as the background indexer would.
	 */
	private static int indexAll(RecallIndexer indexer, InMemoryChatMemoryStore store) {
		int indexed = 0;
		int passes = 0;
		RecallIndexer.PassResult pass;
		do {
			pass = indexer.runOnce();
			assertThat(pass.outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
			assertThat(++passes).as("indexing passes").isLessThan(100);
			indexed += pass.indexed();
		}
		while (pass.workLeft());
		assertThat(store.countRecallTasks()).isZero();
		return indexed;
	}

	@AfterAll
	static void close() {
		embedded.manager().close();
		onVectorStore.manager().close();
		model.close();
	}

	@Test
	void semanticRecallReachesTheGoalAndBeatsKeywordSearch() throws IOException {
		Map<String, String> ownerOfSession = new HashMap<>();
		dataset.conversations().forEach((conversation) -> ownerOfSession.put(conversation.id(), conversation.user()));
		Map<String, BiFunction<String, String, List<Found>>> searches = new LinkedHashMap<>();
		searches.put("Semantic recall, embedded index (`recall(user, query, 5)`)", (user, query) -> recall(embedded, user, query));
		searches.put("Semantic recall, Spring AI `SimpleVectorStore`", (user, query) -> recall(onVectorStore, user, query));
		searches.put("Keyword search, whole query (`searchUserSessions`)",
				(user, query) -> found(embedded.manager().searchUserSessions(user, query, 0, TOP).hits()));
		searches.put("Keyword search, any content word ranked by words matched", this::anyContentWord);

		Map<String, Measure> measures = new LinkedHashMap<>();
		for (Map.Entry<String, BiFunction<String, String, List<Found>>> search : searches.entrySet()) {
			Measure measure = new Measure();
			for (Query query : dataset.queries()) {
				long start = System.nanoTime();
				List<Found> found = search.getValue().apply(query.user(), query.query());
				measure.nanos += System.nanoTime() - start;
				assertThat(found).as(query.query()).hasSizeLessThanOrEqualTo(TOP);
				// never a message of another user, whatever the ranking
				assertThat(found).as(query.query())
					.allSatisfy((hit) -> assertThat(ownerOfSession.get(hit.sessionId())).isEqualTo(query.user()));
				List<String> messageIds = found.stream().map(Found::messageId).toList();
				long hits = query.expected().stream().filter(messageIds::contains).count();
				double recall = (double) hits / Math.min(TOP, query.expected().size());
				measure.add(query.kind(), recall);
				if (recall < 1) {
					measure.misses.add(String.format(Locale.ROOT, "| %s | %s | %s | %s |", query.kind(), query.query(),
							String.join(", ", query.expected()), String.join(", ", messageIds)));
				}
			}
			measures.put(search.getKey(), measure);
		}
		String report = report(measures);
		System.out.print(report);
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "recall-quality.md"), report);

		List<Measure> all = List.copyOf(measures.values());
		for (Measure semantic : all.subList(0, 2)) {
			assertThat(semantic.recall("all")).as("semantic recall@5, all queries").isGreaterThanOrEqualTo(GOAL);
			assertThat(semantic.recall("paraphrase")).as("semantic recall@5, paraphrases")
				.isGreaterThanOrEqualTo(GOAL);
			for (Measure keyword : all.subList(2, all.size())) {
				assertThat(semantic.recall("all")).isGreaterThan(keyword.recall("all"));
			}
		}
	}

	private static List<Found> recall(Loaded loaded, String user, String query) {
		return loaded.manager()
			.recall(user, query, TOP)
			.hits()
			.stream()
			.map((hit) -> new Found(hit.sessionId(), hit.messageId()))
			.toList();
	}

	private List<Found> anyContentWord(String user, String query) {
		Map<Found, Integer> matchedWords = new LinkedHashMap<>();
		for (String word : RecallDatasetTests.contentWords(query)) {
			for (Found found : found(embedded.manager().searchUserSessions(user, word, 0, 50).hits())) {
				matchedWords.merge(found, 1, Integer::sum);
			}
		}
		return matchedWords.entrySet()
			.stream()
			.sorted(Map.Entry.<Found, Integer>comparingByValue().reversed())
			.limit(TOP)
			.map(Map.Entry::getKey)
			.toList();
	}

	private static List<Found> found(List<SearchHit> hits) {
		return hits.stream().map((hit) -> new Found(hit.sessionId(), hit.messageId())).toList();
	}

	private static String report(Map<String, Measure> measures) {
		StringBuilder report = new StringBuilder();
		report.append(String.format(Locale.ROOT, "%d queries (%d paraphrases, %d keyword), %d conversations of %d users, "
				+ "all-MiniLM-L6-v2-q; indexing %.2f ms/message on the embedded index, %.2f on SimpleVectorStore "
				+ "(embedding included)%n%n", dataset.queries().size(),
				measures.values().iterator().next().recalls.get("paraphrase").size(),
				measures.values().iterator().next().recalls.get("keyword").size(), dataset.conversations().size(),
				dataset.conversations().stream().map(Conversation::user).distinct().count(),
				embedded.indexingMillisPerMessage(), onVectorStore.indexingMillisPerMessage()));
		report.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s; load average (1 min) at the end: %.2f%n%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
				System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		report.append("| Search | recall@5, all | paraphrase | keyword | ms/query |\n|---|---|---|---|---|\n");
		measures.forEach((name, measure) -> report.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f |%n",
				name, measure.recall("all"), measure.recall("paraphrase"), measure.recall("keyword"),
				measure.nanos / 1e6 / dataset.queries().size())));
		// the misses of semantic recall in full; keyword search misses most paraphrases
		measures.entrySet().stream().limit(2).forEach((semantic) -> {
			report.append(String.format("%nQueries not fully answered by %s (%d of %d):%n%n", semantic.getKey(),
					semantic.getValue().misses.size(), dataset.queries().size()));
			if (!semantic.getValue().misses.isEmpty()) {
				report.append("| Kind | Query | Expected | Top 5 |\n|---|---|---|---|\n");
				semantic.getValue().misses.forEach((miss) -> report.append(miss).append('\n'));
			}
		});
		return report.toString();
	}

	record Found(String sessionId, String messageId) {
	}

	record Loaded(ChatMemoryManager manager, double indexingMillisPerMessage) {
	}

	/**
	 * Recall@5 of each query of one search, by kind of query.
	 */
	static final class Measure {

		private final Map<String, List<Double>> recalls = new LinkedHashMap<>();

		private final List<String> misses = new ArrayList<>();

		private long nanos;

		void add(String kind, double recall) {
			this.recalls.computeIfAbsent("all", (key) -> new ArrayList<>()).add(recall);
			this.recalls.computeIfAbsent(kind, (key) -> new ArrayList<>()).add(recall);
		}

		double recall(String kind) {
			return this.recalls.get(kind).stream().mapToDouble(Double::doubleValue).average().orElse(0);
		}

	}

}
