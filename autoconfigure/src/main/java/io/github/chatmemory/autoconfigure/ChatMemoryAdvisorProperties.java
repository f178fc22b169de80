package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.springai.ChatMemoryRecallAdvisor;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@link ChatMemoryRecallAdvisor} bean, defined when
 * semantic recall is on.
 */
@ConfigurationProperties("chat-memory.recall.advisor")
public class ChatMemoryAdvisorProperties {

	/**
	 * Whether to define a ChatMemoryRecallAdvisor bean when semantic recall is on
	 * (chat-memory.recall.enabled=true). The application still adds it to its
	 * ChatClient.
	 */
	private boolean enabled = true;

	/**
	 * Most messages recalled from the user's other conversations for one turn.
	 */
	private int topK = 5;

	/**
	 * Most tokens of the recalled block, its template included; the least similar
	 * messages are left out first.
	 */
	private int maxTokens = 500;

	/**
	 * Lowest score a recalled message needs to be added to the prompt.
	 */
	private double minScore = 0.3;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getTopK() {
		return this.topK;
	}

	public void setTopK(int topK) {
		this.topK = topK;
	}

	public int getMaxTokens() {
		return this.maxTokens;
	}

	public void setMaxTokens(int maxTokens) {
		this.maxTokens = maxTokens;
	}

	public double getMinScore() {
		return this.minScore;
	}

	public void setMinScore(double minScore) {
		this.minScore = minScore;
	}

}
