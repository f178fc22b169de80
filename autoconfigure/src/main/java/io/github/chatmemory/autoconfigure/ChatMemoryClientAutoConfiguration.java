package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.client.ChatMemoryClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Auto-configuration of a {@link ChatMemoryClient} as an HTTP service client of the
 * {@value #GROUP} group, when {@code chat-memory.client.base-url} or Spring Boot's
 * {@code spring.http.serviceclient.chat-memory.base-url} is set. Spring Boot configures
 * the group as any other: its {@code spring.http.serviceclient.chat-memory.*} settings
 * and {@code RestClientCustomizer}s (observations among them) apply.
 */
// before Boot's HTTP service client configuration, which applies only once a group is
// imported (it is conditional on the HttpServiceProxyRegistry our import registers)
@AutoConfiguration(beforeName = "org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration")
@ConditionalOnClass({ RestClient.class, ImportHttpServices.class })
@Conditional(ChatMemoryClientAutoConfiguration.OnBaseUrlCondition.class)
@ConditionalOnMissingBean(ChatMemoryClient.class)
@EnableConfigurationProperties(ChatMemoryClientProperties.class)
@ImportHttpServices(group = ChatMemoryClientAutoConfiguration.GROUP, types = ChatMemoryClient.class)
public final class ChatMemoryClientAutoConfiguration {

	/** The name of the HTTP service group of the client. */
	public static final String GROUP = "chat-memory";

	/**
	 * Sets the group's base URL from {@code chat-memory.client.base-url}, ahead of Spring
	 * Boot's own group configurer, so that a
	 * {@code spring.http.serviceclient.chat-memory.base-url} wins when both are set.
	 */
	@Bean
	RestClientHttpServiceGroupConfigurer chatMemoryClientGroupConfigurer(ChatMemoryClientProperties properties) {
		return new RestClientHttpServiceGroupConfigurer() {

			@Override
			public void configureGroups(Groups<RestClient.Builder> groups) {
				String baseUrl = properties.getBaseUrl();
				if (StringUtils.hasText(baseUrl)) {
					groups.filterByName(GROUP).forEachClient((group, builder) -> builder.baseUrl(baseUrl));
				}
			}

			@Override
			public int getOrder() {
				return Ordered.HIGHEST_PRECEDENCE;
			}

		};
	}

	static class OnBaseUrlCondition extends AnyNestedCondition {

		OnBaseUrlCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty("chat-memory.client.base-url")
		static class ChatMemoryBaseUrl {

		}

		@ConditionalOnProperty("spring.http.serviceclient." + GROUP + ".base-url")
		static class ServiceClientBaseUrl {

		}

	}

}
