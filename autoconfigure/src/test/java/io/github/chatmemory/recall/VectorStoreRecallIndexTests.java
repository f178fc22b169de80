package io.github.chatmemory.recall;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.util.ReflectionUtils;

/**
 * Semantic recall on a {@link VectorStoreRecallIndex} over Spring AI's
 * {@link SimpleVectorStore}, as the application's vector store; what the index holds is
 * read from the vector store's own map (a similarity search would leave out documents
 * with a negative similarity to its query).
 */
class VectorStoreRecallIndexTests extends AbstractChatMemoryRecallTests {

	private InspectableVectorStore vectorStore;

	@Override
	protected RecallIndex createIndex(EmbeddingModel embeddingModel) {
		this.vectorStore = new InspectableVectorStore(embeddingModel);
		return new VectorStoreRecallIndex(this.vectorStore, "vectorStore");
	}

	@Override
	protected Set<String> indexedMessageIds(String sessionId) {
		return values(sessionId, RecallDocument.MESSAGE);
	}

	@Override
	protected Set<String> indexedUsers(String sessionId) {
		return values(sessionId, RecallDocument.USER);
	}

	private Set<String> values(String sessionId, String key) {
		Set<String> values = new HashSet<>();
		for (Map<String, Object> metadata : this.vectorStore.metadata()) {
			if (sessionId.equals(metadata.get(RecallDocument.SESSION))) {
				values.add((String) metadata.get(key));
			}
		}
		return values;
	}

	/** Spring AI's SimpleVectorStore, whose documents a test can list. */
	static final class InspectableVectorStore extends SimpleVectorStore {

		InspectableVectorStore(EmbeddingModel embeddingModel) {
			super(SimpleVectorStore.builder(embeddingModel));
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> metadata() {
			// the map's value type is not public: read its public getter reflectively
			List<Map<String, Object>> metadata = new java.util.ArrayList<>();
			for (Object content : this.store.values()) {
				Method getter = ReflectionUtils.findMethod(content.getClass(), "getMetadata");
				ReflectionUtils.makeAccessible(getter);
				metadata.add((Map<String, Object>) ReflectionUtils.invokeMethod(getter, content));
			}
			return metadata;
		}

	}

}
