package io.github.chatmemory.web;

import java.util.stream.Collectors;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.summary.ChatMemorySummarizer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Summaries on for the REST tests, written by a deterministic summarizer: the previous
 * summary, then the first word of every message folded in; it fails on a message that
 * says {@value #FAIL}. Only {@code summarize} makes them: the trigger is out of reach of
 * the tests' chats.
 */
@TestConfiguration(proxyBeanMethods = false)
class SummariesRestTestConfiguration {

	/** A message that makes the summarizer fail. */
	static final String FAIL = "FAIL-THE-SUMMARIZER";

	@Bean
	ChatMemorySummarizer firstWordsSummarizer() {
		return (request) -> {
			if (request.messages().stream().anyMatch((message) -> message.content().contains(FAIL))) {
				throw new IllegalStateException("The test summarizer was told to fail");
			}
			String words = request.messages()
				.stream()
				.map(StoredMessage::content)
				.map((content) -> content.split(" ", 2)[0])
				.collect(Collectors.joining(" "));
			String text = (request.previousSummary() != null) ? request.previousSummary() + " " + words
					: "Said: " + words;
			return new ChatMemorySummarizer.Summary(text, "first-words");
		};
	}

}
