package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.client.ChatMemoryClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of a {@link ChatMemoryClient} when
 * {@code chat-memory.client.base-url} is set, on Spring Boot's {@link RestClient.Builder}
 * when there is one (so its message converters, observations and customizers apply).
 */
@AutoConfiguration(afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass(RestClient.class)
@ConditionalOnProperty("chat-memory.client.base-url")
@EnableConfigurationProperties(ChatMemoryProperties.class)
public final class ChatMemoryClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryClient chatMemoryClient(ChatMemoryProperties properties, ObjectProvider<RestClient.Builder> builder) {
		RestClient restClient = builder.getIfAvailable(RestClient::builder)
			.baseUrl(properties.getClient().getBaseUrl())
			.build();
		return ChatMemoryClient.create(restClient);
	}

}
