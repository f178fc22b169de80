package io.github.chatmemory.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidChatMemoryPropertyException} as a description and an action
 * that name the property, however deep in the start-up failure it is.
 */
class ChatMemoryConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidChatMemoryPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidChatMemoryPropertyException cause) {
		StringBuilder description = new StringBuilder();
		if (cause.getValue() != null) {
			description.append("Invalid value '")
				.append(cause.getValue())
				.append("' for configuration property '")
				.append(cause.getProperty())
				.append("': ");
		}
		else {
			description.append("Configuration property '").append(cause.getProperty()).append("': ");
		}
		description.append(cause.getReason());
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
