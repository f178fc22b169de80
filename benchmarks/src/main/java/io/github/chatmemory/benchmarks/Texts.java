package io.github.chatmemory.benchmarks;

/**
 * The message texts of the benchmarks: about 15 tokens each.
 */
final class Texts {

	static final int WINDOW_MESSAGES = 20;

	static final int WINDOW_TOKENS = 4000;

	private Texts() {
	}

	/** A summary of about 400 tokens, as long as a summarizer's answer may well be. */
	static String summary() {
		return "The user asked about the rainy season in Chiang Mai; the assistant answered with rainfall by month. "
			.repeat(20);
	}

	static String message(long n) {
		return "Message number " + n + " of a long conversation about the rainy season in Chiang Mai.";
	}

}
