package io.github.chatmemory.test;

import org.springframework.ai.content.MediaContent;
import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * A token estimator that counts one token per character, so tests can reason about
 * budgets exactly.
 */
public final class CharacterTokenEstimator implements TokenCountEstimator {

	@Override
	public int estimate(String text) {
		return text.length();
	}

	@Override
	public int estimate(MediaContent content) {
		return estimate(content.getText());
	}

	@Override
	public int estimate(Iterable<MediaContent> contents) {
		int total = 0;
		for (MediaContent content : contents) {
			total += estimate(content);
		}
		return total;
	}

}
