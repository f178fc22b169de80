package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;

/**
 * Callback to customize the {@link ChatMemoryManager.Builder} of the auto-configured
 * {@link ChatMemoryManager} after the properties are applied, in {@code @Order}.
 */
@FunctionalInterface
public interface ChatMemoryManagerBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(ChatMemoryManager.Builder builder);

}
