package io.github.chatmemory.search;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.search.TextMatcher.Budget;
import io.github.chatmemory.search.TextMatcher.Match;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeywordSearch} and its {@link TextMatcher}: linear matching, the
 * limits on characters, sessions and time, Unicode folding and grapheme-safe snippets.
 */
class KeywordSearchTests {

	private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

	private static final String THUMBS_UP_DARK = "\uD83D\uDC4D\uD83C\uDFFF";

	private static final String FLAG_JP = "\uD83C\uDDEF\uD83C\uDDF5";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final RecordingChatMemoryStore store = new RecordingChatMemoryStore(
			new InMemoryChatMemoryStore(1000, 1000, this.clock));

	private static Budget unlimited() {
		return new Budget(Long.MAX_VALUE, Long.MAX_VALUE, () -> 0);
	}

	@Test
	void matchingIsLinearInTheTextEvenForTheWorstQuery() {
		// the old matcher compared up to 200 characters at each of 100,000 positions
		String text = "a".repeat(100_000);
		Budget budget = unlimited();
		assertThat(new TextMatcher("a".repeat(199) + "b").find(text, budget)).isNull();
		assertThat(budget.characters).isEqualTo(100_000);
		assertThat(budget.steps).isLessThanOrEqualTo(2L * text.length());
	}

	@Test
	void aSearchOverHugeMessagesStopsAtItsCharacterBudgetAndSaysSo() {
		ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
			.searchLimits(new KeywordSearch.Limits(10_000, 1_000_000, 500, Duration.ofHours(1), 4))
			.build();
		manager.createSession(new NewSession("s", "ada", null, Map.of()));
		String content = "a".repeat(100_000);
		for (int i = 0; i < 20; i++) {
			manager.appendMessage("s", NewMessage.of(MessageRole.USER, content));
		}
		SearchResult result = manager.searchSession("s", "a".repeat(199) + "b", 0, 10);
		assertThat(result.hits()).isEmpty();
		assertThat(result.characterLimitReached()).isTrue();
		assertThat(result.truncated()).isTrue();
		assertThat(result.scannedCharacters()).isEqualTo(1_000_000);
		assertThat(result.scannedMessages()).isEqualTo(10);
		assertThat(result.timedOut()).isFalse();
	}

	@Test
	void aSearchStopsAtItsDeadlineAndSaysSo() {
		AtomicLong now = new AtomicLong();
		// every look at the clock finds a second gone by
		KeywordSearch search = new KeywordSearch(this.store,
				new KeywordSearch.Limits(10_000, Long.MAX_VALUE, 500, Duration.ofSeconds(2), 4),
				() -> now.getAndAdd(Duration.ofSeconds(1).toNanos()));
		this.store.createSession("s", "ada", "", Map.of());
		for (int i = 0; i < 10; i++) {
			this.store.append("s", List.of(NewMessage.of(MessageRole.USER, "b".repeat(100_000)).withId("m" + i)),
					false, null);
		}
		SearchResult result = search.searchSession("s", "needle", 0, 10);
		assertThat(result.timedOut()).isTrue();
		assertThat(result.scannedCharacters()).isLessThan(200_000);
	}

	@Test
	void aUserWideSearchVisitsABoundedNumberOfSessionsAndSaysSo() {
		ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
			.searchLimits(new KeywordSearch.Limits(10_000, 10_000_000, 10, Duration.ofHours(1), 4))
			.build();
		for (int i = 0; i < 100; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			manager.createSession(new NewSession("s-" + i, "ada", null, Map.of()));
			if (i % 2 == 0) {
				manager.appendMessage("s-" + i, NewMessage.of(MessageRole.USER, "hay"));
			}
		}
		this.store.reset();
		SearchResult result = manager.searchUserSessions("ada", "needle", 0, 10);
		assertThat(result.sessionLimitReached()).isTrue();
		assertThat(result.scannedSessions()).isEqualTo(10);
		// empty sessions are not read at all
		assertThat(result.scannedMessages()).isEqualTo(5);
		assertThat(this.store.messagesRead()).isEqualTo(5);
	}

	@Test
	void aUserWideSearchLeavesExcludedSessionsUnreadAndUncounted() {
		ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
			.searchLimits(new KeywordSearch.Limits(10_000, 10_000_000, 2, Duration.ofHours(1), 4))
			.build();
		for (String id : List.of("older", "old", "current")) {
			this.clock.advance(Duration.ofMinutes(1));
			manager.createSession(new NewSession(id, "ada", null, Map.of()));
			manager.appendMessage(id, NewMessage.of(MessageRole.USER, "pasta in " + id));
		}
		this.store.reset();
		SearchResult result = manager.searchUserSessions("ada", "pasta", 0, 10, java.util.Set.of("current"));
		assertThat(result.hits()).extracting(SearchHit::sessionId).containsExactly("old", "older");
		// the excluded session takes none of the two sessions the limit allows
		assertThat(result.scannedSessions()).isEqualTo(2);
		assertThat(result.sessionLimitReached()).isFalse();
		assertThat(this.store.messagesRead()).isEqualTo(2);
	}

	@Test
	void foldsCaseFullyAndNormalizes() {
		assertThat(find("Die Straße ist lang", "STRASSE")).isEqualTo("Straße");
		assertThat(find("DIE STRASSE IST LANG", "straße")).isEqualTo("STRASSE");
		String nfd = Normalizer.normalize("un café noir", Normalizer.Form.NFD);
		assertThat(nfd).hasSize(13);
		assertThat(find(nfd, "CAFÉ")).isEqualTo(Normalizer.normalize("café", Normalizer.Form.NFD));
		assertThat(find("un café noir", Normalizer.normalize("café", Normalizer.Form.NFD))).isEqualTo("café");
		assertThat(find("the ﬁle is here", "FILE")).isEqualTo("ﬁle");
		assertThat(find("ΟΔΟΣ", "οδος")).isEqualTo("ΟΔΟΣ");
		assertThat(find("ฉันชอบกินข้าวผัดมาก", "ข้าวผัด")).isEqualTo("ข้าวผัด");
		assertThat(find(FAMILY + " party " + FLAG_JP, FLAG_JP)).isEqualTo(FLAG_JP);
		// a letter does not match the same letter with a mark on it
		assertThat(new TextMatcher("cafe").find(nfd, unlimited())).isNull();
	}

	private static String find(String text, String query) {
		Match match = new TextMatcher(query).find(text, unlimited());
		assertThat(match).as("%s in %s", query, text).isNotNull();
		return text.substring(match.start(), match.end());
	}

	@Test
	void aHitCarriesABoundedSnippetNotTheWholeMessage() {
		ChatMemoryManager manager = ChatMemoryManager.builder(this.store).build();
		manager.createSession(new NewSession("s", "ada", null, Map.of()));
		String content = "x".repeat(50_000) + "needle" + "y".repeat(49_000);
		manager.appendMessage("s", NewMessage.of(MessageRole.USER, content));
		SearchHit hit = manager.searchSession("s", "NEEDLE", 0, 10).hits().get(0);
		assertThat(hit.matchStart()).isEqualTo(50_000);
		assertThat(hit.matchEnd()).isEqualTo(50_006);
		assertThat(hit.snippet()).hasSize(2 * KeywordSearch.SNIPPET_CONTEXT + 6);
		assertThat(content.substring(hit.snippetStart()).startsWith(hit.snippet())).isTrue();
		assertThat(hit.role()).isEqualTo(MessageRole.USER);
		assertThat(hit.sequence()).isEqualTo(1);
	}

	@Test
	void snippetsNeverCutAGraphemeCluster() {
		String[] clusters = { FAMILY, THUMBS_UP_DARK, FLAG_JP, "e\u0301", "\u0915\u094D\u0937", "a\u0308\u0323",
				"\uD83D\uDE00", "\u2764\uFE0F", "ก\u0E49" };
		for (String cluster : clusters) {
			for (int pad = 0; pad < 7; pad++) {
				String text = "z".repeat(pad) + cluster.repeat(30) + " needle " + cluster.repeat(30);
				Match match = new TextMatcher("needle").find(text, unlimited());
				TextMatcher.Snippet snippet = TextMatcher.snippet(text, match, KeywordSearch.SNIPPET_CONTEXT,
						KeywordSearch.MAX_SNIPPET_LENGTH);
				int start = snippet.start();
				int end = start + snippet.text().length();
				String context = "cluster " + cluster + ", pad " + pad + ": " + snippet.text();
				assertThat(text.substring(start, end)).isEqualTo(snippet.text());
				assertThat(snippet.text()).as(context).contains("needle");
				assertThat(isClusterBoundary(text, cluster, pad, start)).as(context + " starts whole").isTrue();
				assertThat(isClusterBoundary(text, cluster, pad, end)).as(context + " ends whole").isTrue();
			}
		}
	}

	/** Boundaries of the test text, known from how it was built. */
	private static boolean isClusterBoundary(String text, String cluster, int pad, int index) {
		if (index <= pad || index >= text.length()) {
			return true;
		}
		int firstRun = pad + 30 * cluster.length();
		if (index < firstRun) {
			return (index - pad) % cluster.length() == 0;
		}
		int secondRun = firstRun + " needle ".length();
		if (index <= secondRun) {
			return true;
		}
		return (index - secondRun) % cluster.length() == 0;
	}

	@Test
	void snippetsStayBoundedEvenInsideEndlessMarks() {
		String zalgo = "a" + "\u0301".repeat(5_000);
		String text = zalgo + " needle " + zalgo;
		Match match = new TextMatcher("needle").find(text, unlimited());
		TextMatcher.Snippet snippet = TextMatcher.snippet(text, match, KeywordSearch.SNIPPET_CONTEXT,
				KeywordSearch.MAX_SNIPPET_LENGTH);
		assertThat(snippet.text()).contains("needle");
		assertThat(snippet.text().length()).isLessThanOrEqualTo(KeywordSearch.MAX_SNIPPET_LENGTH + 2 * 32);
	}

	@Test
	void theBoundaryCheckAddsWhatOlderBreakIteratorsMiss() {
		BreakIterator iterator = BreakIterator.getCharacterInstance(Locale.ROOT);
		List<Integer> inside = new ArrayList<>();
		iterator.setText(FAMILY);
		for (int i = 1; i < FAMILY.length(); i++) {
			if (TextMatcher.isBoundary(FAMILY, iterator, i)) {
				inside.add(i);
			}
		}
		assertThat(inside).isEmpty();
	}

}
