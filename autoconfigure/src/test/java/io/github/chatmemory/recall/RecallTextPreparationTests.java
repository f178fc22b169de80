package io.github.chatmemory.recall;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.github.chatmemory.recall.RecallDatasetTests.Conversation;
import io.github.chatmemory.recall.RecallDatasetTests.Dataset;
import io.github.chatmemory.recall.RecallDatasetTests.Message;
import io.github.chatmemory.recall.RecallDatasetTests.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures, by brute force over the labelled dataset, how the way a message's text is
 * prepared for all-MiniLM-L6-v2 changes semantic recall@5, so that the recall engine can
 * adopt the best cheap rule.
 */
class RecallTextPreparationTests {

	private static final int TOP = 5;

	private static Dataset dataset;

	private static MiniLmEmbeddingModel model;

	private static final Map<String, float[]> vectorOfText = new HashMap<>();

	private static long embeddingNanos;

	@BeforeAll
	static void load() throws IOException {
		try (InputStream input = new ClassPathResource("recall/conversations.json").getInputStream()) {
			dataset = JsonMapper.builder().build().readValue(input, Dataset.class);
		}
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void recallAtFiveOfEachTextPreparation() throws IOException {
		Map<String, Function<Entry, List<String>>> preparations = new LinkedHashMap<>();
		preparations.put("content as-is", (entry) -> List.of(entry.message().content()));
		preparations.put("role prefix", (entry) -> List.of(entry.message().role() + ": " + entry.message().content()));
		preparations.put("title prefix", (entry) -> List.of(entry.title() + ": " + entry.message().content()));
		preparations.put("first 120 chars", (entry) -> List.of(truncate(entry.message().content(), 120)));
		preparations.put("sentence chunks (best)", (entry) -> sentences(entry.message().content()));
		preparations.put("whole + sentence chunks (best)", (entry) -> {
			List<String> texts = new ArrayList<>(List.of(entry.message().content()));
			List<String> sentences = sentences(entry.message().content());
			if (sentences.size() > 1) {
				texts.addAll(sentences);
			}
			return texts;
		});
		preparations.put("previous message + content", (entry) -> List
			.of((entry.previous() != null) ? entry.previous() + "\n" + entry.message().content()
					: entry.message().content()));
		preparations.put("content, or previous + content (best)", (entry) -> (entry.previous() != null)
				? List.of(entry.message().content(), entry.previous() + "\n" + entry.message().content())
				: List.of(entry.message().content()));
		preparations.put("answer after its question", (entry) -> List.of(questionAndAnswer(entry)));
		preparations.put("content, or answer after question (best)", (entry) -> distinct(entry.message().content(),
				questionAndAnswer(entry)));
		preparations.put("answer after question + sentence chunks (best)", (entry) -> {
			List<String> texts = new ArrayList<>(List.of(questionAndAnswer(entry)));
			texts.addAll(sentences(entry.message().content()));
			return texts.stream().distinct().toList();
		});

		List<Entry> entries = entries();
		StringBuilder table = new StringBuilder(
				"| Text embedded per message | all | paraphrase | keyword | vectors |\n|---|---|---|---|---|\n");
		StringBuilder missLines = new StringBuilder();
		Map<String, Double> overall = new LinkedHashMap<>();
		List<String> queries = dataset.queries().stream().map(Query::query).toList();
		long start = System.nanoTime();
		List<float[]> queryVectors = model.embed(queries);
		System.out.printf(Locale.ROOT, "queries: %d texts, %.2f ms/text%n", queries.size(),
				(System.nanoTime() - start) / 1e6 / queries.size());
		for (Map.Entry<String, Function<Entry, List<String>>> preparation : preparations.entrySet()) {
			List<String> texts = new ArrayList<>();
			List<Entry> ownerOfText = new ArrayList<>();
			for (Entry entry : entries) {
				for (String text : preparation.getValue().apply(entry)) {
					texts.add(text);
					ownerOfText.add(entry);
				}
			}
			List<float[]> vectors = embedOnce(texts);
			Map<String, List<Double>> recallByKind = new LinkedHashMap<>();
			List<String> misses = new ArrayList<>();
			for (int q = 0; q < dataset.queries().size(); q++) {
				Query query = dataset.queries().get(q);
				Map<String, Double> bestScore = new HashMap<>();
				for (int t = 0; t < texts.size(); t++) {
					Entry owner = ownerOfText.get(t);
					if (owner.user().equals(query.user())) {
						bestScore.merge(owner.message().id(), dot(queryVectors.get(q), vectors.get(t)), Math::max);
					}
				}
				List<String> top = bestScore.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
					.limit(TOP)
					.map(Map.Entry::getKey)
					.toList();
				long hits = query.expected().stream().filter(top::contains).count();
				double recall = (double) hits / Math.min(TOP, query.expected().size());
				if (recall < 1) {
					misses.add(query.query() + " -> " + query.expected() + " got " + top);
				}
				recallByKind.computeIfAbsent("all", (kind) -> new ArrayList<>()).add(recall);
				recallByKind.computeIfAbsent(query.kind(), (kind) -> new ArrayList<>()).add(recall);
			}
			table.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", preparation.getKey(),
					average(recallByKind.get("all")), average(recallByKind.get("paraphrase")),
					average(recallByKind.get("keyword")), texts.size()));
			missLines.append(String.format("%n%s:%n", preparation.getKey()));
			misses.forEach((miss) -> missLines.append("- ").append(miss).append(System.lineSeparator()));
			overall.put(preparation.getKey(), average(recallByKind.get("all")));
		}
		table.append(String.format(Locale.ROOT, "%n%d distinct texts embedded, %.2f ms/text%n", vectorOfText.size(),
				embeddingNanos / 1e6 / vectorOfText.size()));
		System.out.print(table);
		System.out.print(missLines);
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "recall-text-preparation.md"), table + missLines.toString());
		// the engine embeds a message's content as it is: that alone must reach the goal
		assertThat(overall.get("content as-is")).isGreaterThanOrEqualTo(0.9);
	}

	/**
	 * Embed texts, each distinct text once across all preparations: many preparations
	 * share most of their texts, and the model is deterministic.
	 */
	private static List<float[]> embedOnce(List<String> texts) {
		List<String> missing = texts.stream().distinct().filter((text) -> !vectorOfText.containsKey(text)).toList();
		if (!missing.isEmpty()) {
			long start = System.nanoTime();
			List<float[]> vectors = model.embed(missing);
			embeddingNanos += System.nanoTime() - start;
			for (int i = 0; i < missing.size(); i++) {
				vectorOfText.put(missing.get(i), vectors.get(i));
			}
		}
		return texts.stream().map(vectorOfText::get).toList();
	}

	private static List<Entry> entries() {
		List<Entry> entries = new ArrayList<>();
		for (Conversation conversation : dataset.conversations()) {
			String previous = null;
			for (Message message : conversation.messages()) {
				entries.add(new Entry(conversation.user(), conversation.title(), message, previous));
				previous = message.content();
			}
		}
		return entries;
	}

	private static List<String> sentences(String text) {
		List<String> sentences = new ArrayList<>();
		for (String sentence : text.split("(?<=[.!?])\\s+")) {
			if (!sentence.isBlank()) {
				sentences.add(sentence);
			}
		}
		return sentences;
	}

	/**
	 * An assistant message is an answer to the user message before it, so it is embedded
	 * after that question; a user message is embedded as it is.
	 */
	private static String questionAndAnswer(Entry entry) {
		return (entry.message().role().equals("assistant") && entry.previous() != null)
				? entry.previous() + "\n" + entry.message().content() : entry.message().content();
	}

	private static List<String> distinct(String... texts) {
		return List.of(texts).stream().distinct().toList();
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

	private static double dot(float[] a, float[] b) {
		double dot = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
		}
		return dot;
	}

	private static double average(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
	}

	record Entry(String user, String title, Message message, String previous) {
	}

}
