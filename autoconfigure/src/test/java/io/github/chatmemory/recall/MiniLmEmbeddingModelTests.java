package io.github.chatmemory.recall;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.github.chatmemory.ChatMemoryValidationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link MiniLmEmbeddingModel}, on the real model.
 */
class MiniLmEmbeddingModelTests {

	private static final List<String> TEXTS = List.of("How do I reset my password?", "I forgot my login credentials",
			"The weather in Lisbon is sunny", "ok",
			"Our quarterly report shows revenue grew by twelve percent while costs stayed flat, "
					+ "mostly thanks to the new subscription plans launched in the spring",
			"Can you recommend a vegetarian lasagna recipe for six people?");

	private static MiniLmEmbeddingModel model;

	@BeforeAll
	static void loadModel() {
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	@Test
	void vectorsHave384DimensionsAndUnitLength() {
		assertThat(model.dimensions()).isEqualTo(384);
		for (float[] vector : model.embed(TEXTS)) {
			assertThat(vector).hasSize(384);
			assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
		}
	}

	@Test
	void paraphraseScoresHigherThanUnrelatedText() {
		float[] question = model.embed("How do I reset my password?");
		double paraphrase = cosine(question, model.embed("I forgot my login credentials"));
		double unrelated = cosine(question, model.embed("The weather in Lisbon is sunny"));
		System.out.printf("cosine: paraphrase %.3f, unrelated %.3f%n", paraphrase, unrelated);
		assertThat(paraphrase).isGreaterThan(unrelated + 0.2);
	}

	@Test
	void batchEqualsOneByOne() {
		// Texts of very different lengths: a vector never depends on the texts embedded with it.
		List<float[]> batched = model.embed(TEXTS);
		assertThat(batched).hasSize(TEXTS.size());
		for (int i = 0; i < TEXTS.size(); i++) {
			assertThat(batched.get(i)).containsExactly(model.embed(TEXTS.get(i)), within(1e-6f));
		}
	}

	@Test
	void responseKeepsTheOrderOfTheTexts() {
		EmbeddingResponse response = model.call(new EmbeddingRequest(TEXTS, null));
		assertThat(response.getResults()).hasSize(TEXTS.size());
		for (int i = 0; i < TEXTS.size(); i++) {
			assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
		}
		assertThat(response.getMetadata().getModel()).isEqualTo("all-MiniLM-L6-v2-q");
	}

	@Test
	void sameVectorsAsLangChain4jOwnModelForShortTexts() {
		// Cross-check of tokenizing and pooling against the library that ships the model.
		AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
		for (String text : TEXTS) {
			assertThat(model.embed(text)).containsExactly(reference.embed(text).content().vector(), within(1e-4f));
		}
	}

	@Test
	void readsAtMost256WordPieces() {
		String start = "word ".repeat(300);
		float[] bounded = model.embed(start);
		assertThat(model.embed(start + "completely different ending about volcanoes and jazz ".repeat(200)))
			.containsExactly(bounded, within(1e-5f));
		// and the first 256 word pieces do count
		assertThat(cosine(bounded, model.embed("volcano " + start))).isLessThan(0.9999);
	}

	@Test
	void documentIsEmbeddedByItsText() {
		assertThat(model.embed(new Document("The weather in Lisbon is sunny")))
			.containsExactly(model.embed("The weather in Lisbon is sunny"), within(1e-6f));
	}

	@Test
	void blankTextIsRejectedNamingIt() {
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> model.embed(List.of("fine", " \n ")))
			.withMessageContaining("texts[1]")
			.withMessageContaining("must not be blank");
		assertThatExceptionOfType(ChatMemoryValidationException.class).isThrownBy(() -> model.embed(""))
			.withMessageContaining("texts[0]");
		List<String> withNull = new ArrayList<>();
		withNull.add(null);
		assertThatExceptionOfType(ChatMemoryValidationException.class).isThrownBy(() -> model.embed(withNull))
			.withMessageContaining("texts[0]");
	}

	@Test
	void noTextsGiveNoEmbeddings() {
		assertThat(model.call(new EmbeddingRequest(List.of(), null)).getResults()).isEmpty();
	}

	@Test
	void otherDimensionsAreRejected() {
		EmbeddingOptions options = EmbeddingOptions.builder().dimensions(768).build();
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> model.call(new EmbeddingRequest(List.of("hello"), options)))
			.withMessageContaining("options.dimensions")
			.withMessageContaining("384");
	}

	@Test
	void concurrentCallsGiveTheSameVectors() throws Exception {
		List<float[]> expected = model.embed(TEXTS);
		ExecutorService executor = Executors.newFixedThreadPool(3);
		try {
			List<Future<List<float[]>>> results = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				results.add(executor.submit(() -> model.embed(TEXTS)));
			}
			for (Future<List<float[]>> result : results) {
				List<float[]> vectors = result.get(60, TimeUnit.SECONDS);
				for (int i = 0; i < TEXTS.size(); i++) {
					assertThat(vectors.get(i)).containsExactly(expected.get(i), within(1e-5f));
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void measuresMillisecondsPerText() {
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			texts.add("Message " + i + ": could you remind me what we decided about the deployment window for "
					+ "the billing service and who is on call this weekend?");
		}
		model.embed(texts.subList(0, 4));
		long start = System.nanoTime();
		assertThat(model.embed(texts)).hasSize(100);
		double millisPerText = (System.nanoTime() - start) / 1e6 / texts.size();
		System.out.printf("all-MiniLM-L6-v2-q, 100 texts of 22 words, one calling thread: %.2f ms/text%n", millisPerText);
	}

	private static double norm(float[] vector) {
		double squares = 0;
		for (float value : vector) {
			squares += value * value;
		}
		return Math.sqrt(squares);
	}

	private static double cosine(float[] a, float[] b) {
		double dot = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
		}
		return dot / (norm(a) * norm(b));
	}

}
