package io.github.chatmemory.recall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/**
 * A {@link RecallIndex} on the application's Spring AI {@link VectorStore}, which embeds
 * the texts with its own embedding model. Every document carries the
 * {@link RecallDocument} metadata keys; stores that index metadata fields explicitly (Redis,
 * for one) need them declared. Every search filters on the user.
 */
public class VectorStoreRecallIndex implements RecallIndex {

	private static final FilterExpressionBuilder FILTERS = new FilterExpressionBuilder();

	private final VectorStore vectorStore;

	private final String description;

	/**
	 * Create an index on a vector store.
	 * @param vectorStore the vector store
	 * @param beanName the vector store's bean name, for logs and health
	 */
	public VectorStoreRecallIndex(VectorStore vectorStore, String beanName) {
		this.vectorStore = vectorStore;
		this.description = vectorStore.getName() + " (bean '" + beanName + "')";
	}

	@Override
	public void add(List<RecallDocument> documents) {
		if (documents.isEmpty()) {
			return;
		}
		this.vectorStore.add(documents.stream()
			.map((document) -> new Document(document.id(), document.text(), document.metadata()))
			.toList());
	}

	@Override
	public void deleteSession(String sessionId) {
		this.vectorStore.delete(FILTERS.eq(RecallDocument.SESSION, sessionId).build());
	}

	@Override
	public void deleteUser(String userId) {
		this.vectorStore.delete(FILTERS.eq(RecallDocument.USER, userId).build());
	}

	@Override
	public void deleteAll() {
		this.vectorStore.delete(FILTERS.isNotNull(RecallDocument.SESSION).build());
	}

	@Override
	public List<Match> search(String userId, String query, int topK, Set<String> excludedSessionIds) {
		List<Document> documents = this.vectorStore.similaritySearch(SearchRequest.builder()
			.query(query)
			.topK(topK)
			.similarityThresholdAll()
			.filterExpression(filter(userId, excludedSessionIds))
			.build());
		List<Match> matches = new ArrayList<>(documents.size());
		for (Document document : documents) {
			Map<String, Object> metadata = document.getMetadata();
			if (metadata.get(RecallDocument.USER) instanceof String user
					&& metadata.get(RecallDocument.SESSION) instanceof String session
					&& metadata.get(RecallDocument.MESSAGE) instanceof String message) {
				// a document without chat memory's keys is not ours: the store is shared
				matches.add(new Match(user, session, message, (document.getScore() != null) ? document.getScore() : 0));
			}
		}
		return matches;
	}

	private static Filter.Expression filter(String userId, Set<String> excludedSessionIds) {
		FilterExpressionBuilder.Op user = FILTERS.eq(RecallDocument.USER, userId);
		if (excludedSessionIds.isEmpty()) {
			return user.build();
		}
		return FILTERS.and(user, FILTERS.nin(RecallDocument.SESSION, new ArrayList<Object>(excludedSessionIds))).build();
	}

	@Override
	public String description() {
		return this.description;
	}

}
