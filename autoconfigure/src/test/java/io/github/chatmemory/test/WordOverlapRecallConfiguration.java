package io.github.chatmemory.test;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.autoconfigure.ChatMemoryManagerBuilderCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Semantic recall on through the manager builder, with the test-only
 * {@link WordOverlapRecall}, as an application's own recall would be plugged in.
 */
@Configuration(proxyBeanMethods = false)
public class WordOverlapRecallConfiguration {

	@Bean
	WordOverlapRecall wordOverlapRecall(ObjectProvider<ChatMemoryManager> manager) {
		return new WordOverlapRecall(manager::getObject);
	}

	@Bean
	ChatMemoryManagerBuilderCustomizer wordOverlapRecallCustomizer(WordOverlapRecall recall) {
		return (builder) -> builder.recall(recall);
	}

}
