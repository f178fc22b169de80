package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.transfer.SessionTransfer;
import java.util.function.Supplier;

import io.github.chatmemory.web.ChatMemoryHandlerMapping;
import io.github.chatmemory.web.ChatMemoryProblemHandler;
import io.github.chatmemory.web.ChatMemoryRequestBodyConverter;
import io.github.chatmemory.web.ChatMemoryRequestFilter;
import io.github.chatmemory.web.ChatMemoryRequestRejectedHandler;
import io.github.chatmemory.web.ChatMemoryRestController;
import io.github.chatmemory.web.OpenAccessPolicy;
import io.github.chatmemory.web.SessionAccessPolicy;
import io.github.chatmemory.web.SpringSecurityAccessPolicy;
import io.github.chatmemory.web.ChatMemoryUnmappedRequestResolver;
import io.github.chatmemory.web.api.HealthResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.accept.ContentNegotiationManager;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of the chat memory REST API, off until
 * {@code chat-memory.web.enabled=true}. The controller is a bean mapped by a handler
 * mapping of its own, never found by component scanning.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnProperty(name = "chat-memory.web.enabled", havingValue = "true")
@ConditionalOnBean(ChatMemoryManager.class)
@EnableConfigurationProperties(ChatMemoryWebProperties.class)
public final class ChatMemoryWebAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ChatMemoryWebAutoConfiguration.class);

	private static final String HEALTH_INDICATOR = "org.springframework.boot.health.contributor.HealthIndicator";

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryRestController chatMemoryRestController(ChatMemoryManager chatMemoryManager,
			SessionTransfer sessionTransfer, SessionAccessPolicy sessionAccessPolicy, ChatMemoryProperties properties,
			ListableBeanFactory beanFactory) {
		// the actuator's indicator when there is one, so that both answer alike
		Supplier<@Nullable HealthResponse> healthCheck = ClassUtils.isPresent(HEALTH_INDICATOR, getClass().getClassLoader())
				? IndicatorHealthCheck.create(beanFactory, chatMemoryManager) : null;
		return new ChatMemoryRestController(chatMemoryManager, sessionTransfer, sessionAccessPolicy,
				properties.getTransfer().getMaxImportSize().toBytes(), properties.getValidation().getMaxPageSize(),
				healthCheck);
	}

	/**
	 * Maps the controller, which has no stereotype annotation so that an application's
	 * component scan never registers it.
	 */
	@Bean
	ChatMemoryHandlerMapping chatMemoryHandlerMapping(ChatMemoryWebProperties web,
			@Qualifier("mvcContentNegotiationManager") ObjectProvider<ContentNegotiationManager> contentNegotiationManager) {
		basePath(web);
		ChatMemoryHandlerMapping mapping = new ChatMemoryHandlerMapping();
		contentNegotiationManager.ifAvailable(mapping::setContentNegotiationManager);
		return mapping;
	}

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryProblemHandler chatMemoryProblemHandler() {
		return new ChatMemoryProblemHandler();
	}

	@Bean
	ChatMemoryUnmappedRequestResolver chatMemoryUnmappedRequestResolver(ChatMemoryProblemHandler problemHandler,
			ChatMemoryWebProperties web) {
		return new ChatMemoryUnmappedRequestResolver(basePath(web), problemHandler);
	}

	@Bean
	FilterRegistrationBean<ChatMemoryRequestFilter> chatMemoryRequestFilter(SessionAccessPolicy sessionAccessPolicy,
			ChatMemoryProperties properties, ChatMemoryWebProperties web) {
		ChatMemoryProperties.Validation validation = properties.getValidation();
		DataSize maxRequestSize = web.getMaxRequestSize();
		long maxRequestBytes = (maxRequestSize != null) ? maxRequestSize.toBytes()
				: 12L * validation.getMaxContentLength() + 6L * validation.getMaxMetadataSize().toBytes();
		ChatMemoryRequestFilter filter = new ChatMemoryRequestFilter(sessionAccessPolicy, maxRequestBytes,
				properties.getTransfer().getMaxImportSize().toBytes());
		FilterRegistrationBean<ChatMemoryRequestFilter> registration = new FilterRegistrationBean<>(filter);
		String basePath = basePath(web);
		registration.addUrlPatterns(basePath, basePath + "/*");
		registration.setName("chatMemoryRequestFilter");
		return registration;
	}

	/**
	 * Reads the API's request bodies strictly, without touching the application's
	 * ObjectMapper: the converter only reads the API's own request types.
	 */
	@Bean
	WebMvcConfigurer chatMemoryRequestBodyConfigurer() {
		ChatMemoryRequestBodyConverter converter = new ChatMemoryRequestBodyConverter();
		return new WebMvcConfigurer() {

			@Override
			public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
				builder.addCustomConverter(converter);
			}

		};
	}

	/**
	 * The API's base path without a trailing slash. The root is refused: the API's
	 * filter (a user for every request, JSON bodies only, a size limit) and its error
	 * handling would then claim every request of the application.
	 */
	static String basePath(ChatMemoryWebProperties web) {
		String basePath = web.getBasePath();
		String trimmed = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		if (!trimmed.startsWith("/") || trimmed.length() < 2 || trimmed.contains("*")) {
			throw new InvalidChatMemoryPropertyException("chat-memory.web.base-path", basePath,
					"must be a path below the root, such as /api/v1/chat: under / (or without a leading /) the API "
							+ "would claim every request of the application",
					"Set chat-memory.web.base-path to a path that starts with / and names a segment, or remove it to "
							+ "use the default /api/v1/chat.",
					null);
		}
		return trimmed;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
	static class SecuredAccessConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionAccessPolicy chatMemorySessionAccessPolicy(ChatMemoryWebProperties web) {
			return new SpringSecurityAccessPolicy(web.getAdminRole());
		}

	}

	/**
	 * Answers the API's requests that Spring Security's HTTP firewall rejects with
	 * problem details; backs off when the application has a handler of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.web.firewall.RequestRejectedHandler")
	static class RejectedRequestConfiguration {

		@Bean
		@ConditionalOnMissingBean(type = "org.springframework.security.web.firewall.RequestRejectedHandler")
		ChatMemoryRequestRejectedHandler chatMemoryRequestRejectedHandler(ChatMemoryWebProperties web) {
			return new ChatMemoryRequestRejectedHandler(basePath(web));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
	static class OpenAccessConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionAccessPolicy chatMemorySessionAccessPolicy(ChatMemoryWebProperties web) {
			logger.warn("The chat memory REST API under " + web.getBasePath()
					+ " is enabled without Spring Security: every caller can read and change every user's sessions."
					+ " Add Spring Security to restrict users to their own sessions.");
			return new OpenAccessPolicy();
		}

	}

}
