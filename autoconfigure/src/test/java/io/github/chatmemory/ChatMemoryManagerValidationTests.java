package io.github.chatmemory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for rules {@link ChatMemoryManager} keeps whatever is configured.
 */
class ChatMemoryManagerValidationTests {

	private final InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(100, 100, Clock.systemUTC());

	@Test
	void aPermissiveIdPatternStillRefusesWhatBreaksKeysAndPaths() {
		// review of issue 13: a configured pattern such as .+ let braces break the Redis Cluster hash tag
		ValidationRules defaults = ValidationRules.defaults();
		ValidationRules permissive = new ValidationRules(Pattern.compile(".+"), defaults.maxContentLength(),
				defaults.maxMetadataBytes(), defaults.maxTitleLength(), defaults.maxPageSize(),
				defaults.maxMessagesPerAppend(), defaults.maxImportMessages(), defaults.maxMediaBytes());
		ChatMemoryManager manager = new ChatMemoryManager(this.store, permissive);
		for (String id : List.of("a{b", "a}b", "a/b", "a\\b", "a%2Fb", "a;b", "a\u0000b")) {
			assertThatExceptionOfType(ChatMemoryValidationException.class)
				.isThrownBy(() -> manager.createSession(new NewSession(id, "ada", null, Map.of())))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("id"));
		}
		assertThat(manager.createSession(new NewSession("tenant:7 chat", "ada", null, Map.of())).id())
			.isEqualTo("tenant:7 chat");
	}

	@Test
	void aMediaTypeThatDoesNotParseIsRefusedBeforeItIsStored() {
		// review of issue 13: one bad MIME type broke every later read of the conversation
		ChatMemoryManager manager = new ChatMemoryManager(this.store, ValidationRules.defaults());
		manager.createSession(new NewSession("s", "ada", null, Map.of()));
		NewMessage withMedia = new NewMessage(null, MessageRole.USER, "look", Map.of(), null, List.of(), List.of(),
				List.of(new MessageMedia("x", null, "picture", "https://example.org/a.png", null)));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> manager.appendMessage("s", withMedia))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messages[0].media[0].mimeType"));
		assertThat(manager.getSession("s").messageCount()).isZero();
	}

	@Test
	void oneCallCarriesABoundedAmountOfMedia() {
		// attack on issue 13: 100 messages of 1 MB media in one ChatMemory.add ran the caller out of memory
		ValidationRules defaults = ValidationRules.defaults();
		ValidationRules smallMedia = new ValidationRules(defaults.idPattern(), defaults.maxContentLength(),
				defaults.maxMetadataBytes(), defaults.maxTitleLength(), defaults.maxPageSize(),
				defaults.maxMessagesPerAppend(), defaults.maxImportMessages(), 1_000);
		ChatMemoryManager manager = new ChatMemoryManager(this.store, smallMedia);
		manager.createSession(new NewSession("s", "ada", null, Map.of()));
		java.util.function.IntFunction<List<NewMessage>> withMedia = (count) -> java.util.stream.IntStream
			.range(0, count)
			.mapToObj((i) -> new NewMessage(null, MessageRole.USER, "look " + i, Map.of(), null, List.of(), List.of(),
					List.of(new MessageMedia("image/png", null, "p" + i, null, new byte[1_000]))))
			.toList();
		int most = ChatMemoryManager.MEDIA_PER_CALL_FACTOR;
		assertThat(manager.appendMessages("s", withMedia.apply(most))).hasSize(most);
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> manager.appendMessages("s", withMedia.apply(most + 1)))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messages[" + most + "].media"));
		assertThat(manager.getSession("s").messageCount()).isEqualTo(most);
	}

}
