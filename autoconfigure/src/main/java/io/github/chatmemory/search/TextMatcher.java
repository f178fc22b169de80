package io.github.chatmemory.search;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Finds a query in text in one pass, in time linear in the text, ignoring case and
 * normalization: both sides are compared NFC-normalized and fully case-folded, so
 * {@code straße} finds {@code STRASSE} and a composed {@code café} finds a decomposed
 * one. Match offsets refer to the original text.
 * <p>
 * The text is folded as it is read, segment by segment (a character with the combining
 * marks and joiners that follow it, which is what normalization and case mapping work
 * on), and the folded characters run through a Knuth–Morris–Pratt automaton, so no
 * folded copy of the text is made and no position is examined twice.
 */
final class TextMatcher {

	/** Longest segment folded as one; longer runs of marks are folded in pieces. */
	private static final int MAX_SEGMENT = 32;

	/** How often, in characters read, the deadline is checked. */
	private static final int TIME_CHECK_INTERVAL = 4096;

	/** How far a snippet bound may move to reach a grapheme cluster boundary. */
	private static final int MAX_SNAP = 32;

	private static final int ZWJ = 0x200D;

	private final String query;

	private final char[] pattern;

	private final int[] failure;

	TextMatcher(String query) {
		this.query = query;
		this.pattern = fold(query).toCharArray();
		this.failure = failure(this.pattern);
	}

	String query() {
		return this.query;
	}

	/**
	 * Find the first match in a text, charging the characters read to a budget.
	 * @param text the text
	 * @param budget the budget to charge, which may stop the search
	 * @return the match, or {@code null} if there is none or the budget stopped the
	 * search
	 */
	@Nullable Match find(String text, Budget budget) {
		if (this.pattern.length == 0) {
			return null;
		}
		Automaton automaton = new Automaton();
		int length = text.length();
		int i = 0;
		int sinceTimeCheck = 0;
		while (i < length) {
			if (!budget.canRead()) {
				return null;
			}
			int end = segmentEnd(text, i);
			char first = text.charAt(i);
			boolean matched = false;
			if (end == i + 1 && first < 0x80) {
				matched = automaton.feed((first >= 'A' && first <= 'Z') ? (char) (first + ('a' - 'A')) : first, i,
						budget);
			}
			else {
				String folded = foldSegment(text, i, end);
				for (int k = 0; k < folded.length() && !matched; k++) {
					matched = automaton.feed(folded.charAt(k), i, budget);
				}
			}
			budget.charge(end - i);
			if (matched) {
				return new Match(automaton.matchStart(), end);
			}
			sinceTimeCheck += end - i;
			if (sinceTimeCheck >= TIME_CHECK_INTERVAL) {
				sinceTimeCheck = 0;
				budget.checkDeadline();
			}
			i = end;
		}
		return null;
	}

	/** The Knuth–Morris–Pratt state of one {@link #find} call. */
	private final class Automaton {

		/** Where in the text each of the last pattern-length folded characters came from. */
		private final int[] origins = new int[TextMatcher.this.pattern.length];

		private long folded;

		private int state;

		boolean feed(char c, int origin, Budget budget) {
			char[] pattern = TextMatcher.this.pattern;
			this.origins[(int) (this.folded % pattern.length)] = origin;
			this.folded++;
			while (this.state > 0 && pattern[this.state] != c) {
				budget.steps++;
				this.state = TextMatcher.this.failure[this.state - 1];
			}
			budget.steps++;
			if (pattern[this.state] == c) {
				this.state++;
			}
			return this.state == pattern.length;
		}

		int matchStart() {
			int length = TextMatcher.this.pattern.length;
			return this.origins[(int) ((this.folded - length) % length)];
		}

	}

	/**
	 * Fold a whole string the way {@link #find} folds text.
	 * @param text the text
	 * @return the folded text
	 */
	static String fold(String text) {
		StringBuilder folded = new StringBuilder(text.length());
		int i = 0;
		while (i < text.length()) {
			int end = segmentEnd(text, i);
			folded.append(foldSegment(text, i, end));
			i = end;
		}
		return folded.toString();
	}

	private static String foldSegment(String text, int start, int end) {
		String segment = text.substring(start, end);
		String nfc = Normalizer.isNormalized(segment, Normalizer.Form.NFC) ? segment
				: Normalizer.normalize(segment, Normalizer.Form.NFC);
		// upper then lower case is full case folding for all but a few characters
		// (ß becomes ss, the ligature ﬁ becomes fi, final sigma becomes sigma)
		return nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
	}

	/**
	 * The end of the segment that starts at an index: one code point and the combining
	 * marks, joiners, variation selectors, emoji modifiers and Hangul vowel and final
	 * jamo after it, at most {@link #MAX_SEGMENT} characters.
	 */
	static int segmentEnd(String text, int start) {
		int length = text.length();
		char first = text.charAt(start);
		// ASCII followed by nothing that can combine with it (marks start at U+0300)
		if (first < 0x80 && (start + 1 == length || text.charAt(start + 1) < 0x300)) {
			return start + 1;
		}
		int previous = text.codePointAt(start);
		int end = start + Character.charCount(previous);
		while (end < length && end - start < MAX_SEGMENT) {
			int next = text.codePointAt(end);
			if (!extendsCluster(next) && previous != ZWJ) {
				break;
			}
			end += Character.charCount(next);
			previous = next;
		}
		return end;
	}

	private static boolean extendsCluster(int codePoint) {
		if (codePoint < 0x300) {
			return false;
		}
		int type = Character.getType(codePoint);
		return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
				|| type == Character.COMBINING_SPACING_MARK || codePoint == ZWJ
				|| (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF) || (codePoint >= 0x1160 && codePoint <= 0x11FF)
				|| (codePoint >= 0xD7B0 && codePoint <= 0xD7FF) || (codePoint >= 0xE0020 && codePoint <= 0xE007F);
	}

	/**
	 * The text around a match, about {@code context} characters each side, that never
	 * cuts a grapheme cluster (an emoji sequence, a letter with its marks) or a surrogate
	 * pair, and is at most {@code maxLength} characters plus what snapping adds.
	 * @param text the text
	 * @param match the match
	 * @param context the characters wanted each side of the match
	 * @param maxLength the longest snippet before snapping
	 * @return the start of the snippet in the text, and the snippet
	 */
	static Snippet snippet(String text, Match match, int context, int maxLength) {
		BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
		clusters.setText(text);
		int from = Math.max(0, match.start() - context);
		int to = Math.min(text.length(), match.end() + context);
		if (to - from > maxLength) {
			to = from + maxLength;
		}
		from = snap(text, clusters, from, -1, match.start());
		to = snap(text, clusters, to, 1, from);
		return new Snippet(from, text.substring(from, to));
	}

	/**
	 * Move an index to a cluster boundary: outwards (in the given direction) first, at
	 * most {@link #MAX_SNAP} characters, else inwards, never past the given limit.
	 */
	private static int snap(String text, BreakIterator clusters, int index, int outwards, int limit) {
		for (int moved = 0, i = index; moved <= MAX_SNAP && i >= 0 && i <= text.length(); moved++, i += outwards) {
			if (isBoundary(text, clusters, i)) {
				return i;
			}
		}
		int i = index;
		while (i != limit && !isBoundary(text, clusters, i)) {
			i -= outwards;
		}
		// with no boundary in reach, at least keep surrogate pairs whole
		if (i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))
				&& Character.isHighSurrogate(text.charAt(i - 1))) {
			i += (outwards > 0) ? 1 : -1;
		}
		return i;
	}

	/**
	 * Whether an index is a grapheme cluster boundary. The JDK's break iterator is
	 * asked, and on Java 17, whose iterator predates extended grapheme clusters, the
	 * rules it misses are added: no break before a mark, joiner or emoji modifier, after
	 * a joiner, or inside a pair of regional indicators (a flag).
	 */
	static boolean isBoundary(String text, BreakIterator clusters, int index) {
		if (index <= 0 || index >= text.length()) {
			return true;
		}
		if (Character.isLowSurrogate(text.charAt(index)) && Character.isHighSurrogate(text.charAt(index - 1))) {
			return false;
		}
		int next = text.codePointAt(index);
		int previous = text.codePointBefore(index);
		if (extendsCluster(next) || previous == ZWJ || next == 0xFE0F || next == 0xFE0E) {
			return false;
		}
		if (isRegionalIndicator(next) && isRegionalIndicator(previous)) {
			int indicators = 0;
			for (int i = index; i > 0 && isRegionalIndicator(text.codePointBefore(i)) && indicators < MAX_SNAP;) {
				indicators++;
				i -= Character.charCount(text.codePointBefore(i));
			}
			if (indicators % 2 == 1) {
				return false;
			}
		}
		return clusters.isBoundary(index);
	}

	private static boolean isRegionalIndicator(int codePoint) {
		return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
	}

	private static int[] failure(char[] pattern) {
		int[] failure = new int[pattern.length];
		int k = 0;
		for (int i = 1; i < pattern.length; i++) {
			while (k > 0 && pattern[i] != pattern[k]) {
				k = failure[k - 1];
			}
			if (pattern[i] == pattern[k]) {
				k++;
			}
			failure[i] = k;
		}
		return failure;
	}

	/**
	 * Where a match is in the original text.
	 *
	 * @param start the index of its first character
	 * @param end the index after its last character
	 */
	record Match(int start, int end) {
	}

	/**
	 * The text around a match.
	 *
	 * @param start the index of its first character in the text
	 * @param text the snippet
	 */
	record Snippet(int start, String text) {
	}

	/**
	 * What a search may still spend: characters read and time; {@code steps} counts the
	 * matcher's comparisons, so tests can check that the work is linear.
	 */
	static final class Budget {

		private final long maxCharacters;

		private final long deadline;

		private final LongSupplier nanoTime;

		long characters;

		long steps;

		boolean characterLimitReached;

		boolean timedOut;

		Budget(long maxCharacters, long deadline, LongSupplier nanoTime) {
			this.maxCharacters = maxCharacters;
			this.deadline = deadline;
			this.nanoTime = nanoTime;
		}

		void charge(int characters) {
			this.characters += characters;
		}

		/** Whether more may be read; notes which limit stopped it if not. */
		boolean canRead() {
			if (this.characters >= this.maxCharacters) {
				this.characterLimitReached = true;
			}
			return !exhausted();
		}

		void checkDeadline() {
			if (this.nanoTime.getAsLong() - this.deadline >= 0) {
				this.timedOut = true;
			}
		}

		boolean exhausted() {
			return this.characterLimitReached || this.timedOut;
		}

	}

}
