package io.github.chatmemory.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Spring AI tools over chat memory.
 */
@ConfigurationProperties("chat-memory.tools")
public class ChatMemoryToolsProperties {

	private final ConversationSearch conversationSearch = new ConversationSearch();

	public ConversationSearch getConversationSearch() {
		return this.conversationSearch;
	}

	/**
	 * Settings of the conversation_search tool.
	 */
	public static class ConversationSearch {

		/**
		 * Whether to define the conversation_search tool as a ToolCallback bean named
		 * conversationSearchTool. Off by default: a ToolCallback bean can be resolved
		 * by name by Spring AI and is picked up by applications that collect every
		 * ToolCallback bean.
		 */
		private boolean enabled;

		/**
		 * Default and largest number of hits one call returns, 1 to 50, and less than
		 * chat-memory.validation.max-page-size (the tool asks the search for one more).
		 */
		private int maxResults = 5;

		/**
		 * Most tokens of one answer, at least 100; hits past it are left out and the
		 * answer says so.
		 */
		private int maxTokens = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxResults() {
			return this.maxResults;
		}

		public void setMaxResults(int maxResults) {
			this.maxResults = maxResults;
		}

		public int getMaxTokens() {
			return this.maxTokens;
		}

		public void setMaxTokens(int maxTokens) {
			this.maxTokens = maxTokens;
		}

	}

}
