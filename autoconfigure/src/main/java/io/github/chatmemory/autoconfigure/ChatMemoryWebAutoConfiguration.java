package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.transfer.SessionTransfer;
import io.github.chatmemory.web.ChatMemoryProblemHandler;
import io.github.chatmemory.web.ChatMemoryRequestBodyConverter;
import io.github.chatmemory.web.ChatMemoryRequestFilter;
import io.github.chatmemory.web.ChatMemoryRestController;
import io.github.chatmemory.web.OpenAccessPolicy;
import io.github.chatmemory.web.SessionAccessPolicy;
import io.github.chatmemory.web.SpringSecurityAccessPolicy;
import io.github.chatmemory.web.ChatMemoryUnmappedRequestResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of the chat memory REST API, off until
 * {@code chat-memory.web.enabled=true}. The controller is a bean, not found by component
 * scanning.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnProperty(name = "chat-memory.web.enabled", havingValue = "true")
@ConditionalOnBean(ChatMemoryManager.class)
public final class ChatMemoryWebAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ChatMemoryWebAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryRestController chatMemoryRestController(ChatMemoryManager chatMemoryManager,
			SessionTransfer sessionTransfer, SessionAccessPolicy sessionAccessPolicy, ChatMemoryProperties properties) {
		return new ChatMemoryRestController(chatMemoryManager, sessionTransfer, sessionAccessPolicy,
				properties.getTransfer().getMaxImportSize().toBytes(), properties.getValidation().getMaxPageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryProblemHandler chatMemoryProblemHandler() {
		return new ChatMemoryProblemHandler();
	}

	@Bean
	ChatMemoryUnmappedRequestResolver chatMemoryUnmappedRequestResolver(ChatMemoryProblemHandler problemHandler,
			ChatMemoryProperties properties) {
		return new ChatMemoryUnmappedRequestResolver(properties.getWeb().getBasePath(), problemHandler);
	}

	@Bean
	FilterRegistrationBean<ChatMemoryRequestFilter> chatMemoryRequestFilter(SessionAccessPolicy sessionAccessPolicy,
			ChatMemoryProperties properties) {
		ChatMemoryProperties.Validation validation = properties.getValidation();
		DataSize maxRequestSize = properties.getWeb().getMaxRequestSize();
		long maxRequestBytes = (maxRequestSize != null) ? maxRequestSize.toBytes()
				: 12L * validation.getMaxContentLength() + 6L * validation.getMaxMetadataSize().toBytes();
		ChatMemoryRequestFilter filter = new ChatMemoryRequestFilter(sessionAccessPolicy, maxRequestBytes,
				properties.getTransfer().getMaxImportSize().toBytes());
		FilterRegistrationBean<ChatMemoryRequestFilter> registration = new FilterRegistrationBean<>(filter);
		String basePath = properties.getWeb().getBasePath();
		basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
	static class SecuredAccessConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionAccessPolicy chatMemorySessionAccessPolicy(ChatMemoryProperties properties) {
			return new SpringSecurityAccessPolicy(properties.getWeb().getAdminRole());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
	static class OpenAccessConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionAccessPolicy chatMemorySessionAccessPolicy(ChatMemoryProperties properties) {
			logger.warn("The chat memory REST API under " + properties.getWeb().getBasePath()
					+ " is enabled without Spring Security: every caller can read and change every user's sessions."
					+ " Add Spring Security to restrict users to their own sessions.");
			return new OpenAccessPolicy();
		}

	}

}
