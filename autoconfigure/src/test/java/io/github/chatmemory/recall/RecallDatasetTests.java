package io.github.chatmemory.recall;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the integrity of the labelled recall-quality dataset
 * ({@code recall/conversations.json}), on which {@link RecallQualityTests} compares
 * semantic recall with keyword search.
 */
class RecallDatasetTests {

	private static final Set<String> USERS = Set.of("ada", "bob", "cleo");

	private static final String PARAPHRASE = "paraphrase";

	private static final String KEYWORD = "keyword";

	/**
	 * Words that carry no topic, left out when comparing a paraphrase with its message,
	 * so that sharing "the" or "how" does not count as sharing words.
	 */
	private static final Set<String> STOP_WORDS = Set.of(("a an the and or but if then so of to in on at by for "
			+ "with from into about as is are was were be been being am do does did done have has had i me my mine "
			+ "we our you your he she it its they them their this that these those there here what which who whom "
			+ "whose when where why how can could should would will shall may might must not no nor only own same "
			+ "too very just than also up down out over under again once all any both each few more most other some "
			+ "such off before after above below between through during until while per don't it's i'm i'll can't "
			+ "won't isn't")
		.split(" "));

	private static Dataset dataset;

	@BeforeAll
	static void load() throws IOException {
		try (InputStream input = new ClassPathResource("recall/conversations.json").getInputStream()) {
			dataset = JsonMapper.builder().build().readValue(input, Dataset.class);
		}
	}

	@Test
	void idsAreUniqueAndNumberTheMessagesOfTheirConversation() {
		Set<String> conversationIds = new HashSet<>();
		Set<String> messageIds = new HashSet<>();
		for (Conversation conversation : dataset.conversations()) {
			assertThat(conversationIds.add(conversation.id())).as(conversation.id()).isTrue();
			assertThat(conversation.user()).isIn(USERS);
			assertThat(conversation.messages()).as(conversation.id()).hasSizeBetween(6, 16);
			for (int i = 0; i < conversation.messages().size(); i++) {
				Message message = conversation.messages().get(i);
				assertThat(message.id()).isEqualTo(conversation.id() + "-" + (i + 1));
				assertThat(messageIds.add(message.id())).as(message.id()).isTrue();
				assertThat(message.role()).as(message.id()).isEqualTo((i % 2 == 0) ? "user" : "assistant");
				assertThat(message.content()).as(message.id()).isNotBlank();
			}
		}
	}

	@Test
	void everyExpectedMessageExistsAndBelongsToTheAskingUser() {
		Map<String, String> ownerOfMessage = ownerOfMessage();
		for (Query query : dataset.queries()) {
			assertThat(query.user()).isIn(USERS);
			assertThat(query.expected()).as(query.query()).isNotEmpty().doesNotHaveDuplicates();
			for (String expected : query.expected()) {
				assertThat(ownerOfMessage).as(query.query()).containsKey(expected);
				assertThat(ownerOfMessage.get(expected)).as(query.query() + " -> " + expected).isEqualTo(query.user());
			}
		}
	}

	@Test
	void theDatasetIsLargeEnough() {
		assertThat(dataset.conversations()).hasSizeGreaterThanOrEqualTo(20);
		assertThat(dataset.queries()).hasSizeGreaterThanOrEqualTo(50);
		assertThat(dataset.queries()).extracting(Query::kind).allMatch((kind) -> kind.equals(PARAPHRASE) || kind.equals(KEYWORD));
		assertThat(dataset.queries()).filteredOn((query) -> query.kind().equals(PARAPHRASE))
			.hasSizeGreaterThanOrEqualTo(45);
		for (String user : USERS) {
			assertThat(dataset.conversations()).filteredOn((conversation) -> conversation.user().equals(user))
				.as(user)
				.hasSizeGreaterThanOrEqualTo(3);
		}
	}

	@Test
	void aParaphraseSharesAtMostOneContentWordWithEachExpectedMessage() {
		Map<String, String> contentOfMessage = contentOfMessage();
		List<String> tooClose = new ArrayList<>();
		for (Query query : dataset.queries()) {
			if (!query.kind().equals(PARAPHRASE)) {
				continue;
			}
			Set<String> queryWords = contentWords(query.query());
			for (String expected : query.expected()) {
				Set<String> shared = new HashSet<>(queryWords);
				shared.retainAll(contentWords(contentOfMessage.get(expected)));
				if (shared.size() > 1) {
					tooClose.add(query.query() + " -> " + expected + " shares " + shared);
				}
			}
		}
		assertThat(tooClose).isEmpty();
	}

	@Test
	void aKeywordQueryOccursLiterallyInAnExpectedMessage() {
		Map<String, String> contentOfMessage = contentOfMessage();
		for (Query query : dataset.queries()) {
			if (query.kind().equals(KEYWORD)) {
				assertThat(query.expected()).as(query.query())
					.anyMatch((expected) -> contentOfMessage.get(expected)
						.toLowerCase(Locale.ROOT)
						.contains(query.query().toLowerCase(Locale.ROOT)));
			}
		}
	}

	/**
	 * The content words of a text: lowercased words of two letters or more that are not
	 * stop words, with a possessive and a plural {@code s} removed so that "fund" and
	 * "funds" count as one word.
	 */
	static Set<String> contentWords(String text) {
		Set<String> words = new LinkedHashSet<>();
		for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_']+")) {
			String word = token.replaceAll("^'+|'+$", "");
			if (word.endsWith("'s")) {
				word = word.substring(0, word.length() - 2);
			}
			if (word.length() < 2 || STOP_WORDS.contains(word)) {
				continue;
			}
			if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
				word = word.substring(0, word.length() - 1);
			}
			words.add(word);
		}
		return words;
	}

	private static Map<String, String> ownerOfMessage() {
		Map<String, String> owners = new HashMap<>();
		dataset.conversations()
			.forEach((conversation) -> conversation.messages()
				.forEach((message) -> owners.put(message.id(), conversation.user())));
		return owners;
	}

	private static Map<String, String> contentOfMessage() {
		Map<String, String> contents = new HashMap<>();
		dataset.conversations()
			.forEach((conversation) -> conversation.messages()
				.forEach((message) -> contents.put(message.id(), message.content())));
		return contents;
	}

	record Dataset(List<Conversation> conversations, List<Query> queries) {
	}

	record Conversation(String id, String user, String title, List<Message> messages) {
	}

	record Message(String id, String role, String content) {
	}

	record Query(String user, String query, List<String> expected, String kind) {
	}

}
