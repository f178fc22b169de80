package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.actuate.ChatMemoryEndpoint;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import io.github.chatmemory.window.WindowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code chatmemory} actuator endpoint, available when exposed
 * like any other endpoint ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@ConditionalOnBean(ChatMemoryManager.class)
public final class ChatMemoryEndpointAutoConfiguration {

	/**
	 * Nested so that the endpoint condition, which needs actuator, is only read once
	 * actuator is known to be there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(ChatMemoryEndpoint.class)
	@EnableConfigurationProperties({ ChatMemoryRedisProperties.class, ChatMemoryInMemoryProperties.class,
			ChatMemoryWebProperties.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ChatMemoryEndpoint chatMemoryEndpoint(ChatMemoryManager chatMemoryManager, ChatMemoryProperties properties,
				ChatMemoryRedisProperties redis, ChatMemoryInMemoryProperties inMemory, ChatMemoryWebProperties web,
				ObjectProvider<JdbcStoreSettings> jdbc) {
			return new ChatMemoryEndpoint(chatMemoryManager,
					effectiveConfiguration(chatMemoryManager, properties, redis, inMemory, web, jdbc.getIfUnique()));
		}

	}

	/**
	 * The effective configuration with typed values: numbers and booleans as themselves,
	 * durations as ISO-8601 text, sizes in bytes, and what is unset left out.
	 */
	static Map<String, Object> effectiveConfiguration(ChatMemoryManager manager, ChatMemoryProperties properties,
			ChatMemoryRedisProperties redis, ChatMemoryInMemoryProperties inMemory, ChatMemoryWebProperties web) {
		return effectiveConfiguration(manager, properties, redis, inMemory, web, null);
	}

	/**
	 * The effective configuration, with the JDBC store's settings when it is the store.
	 */
	static Map<String, Object> effectiveConfiguration(ChatMemoryManager manager, ChatMemoryProperties properties,
			ChatMemoryRedisProperties redis, ChatMemoryInMemoryProperties inMemory, ChatMemoryWebProperties web,
			@Nullable JdbcStoreSettings jdbc) {
		Map<String, Object> configuration = new LinkedHashMap<>();
		String store = manager.getStore().type();
		configuration.put("store", store);
		WindowPolicy window = manager.getDefaultWindowPolicy();
		putIfSet(configuration, "window.max-messages", window.maxMessages());
		putIfSet(configuration, "window.max-tokens", window.maxTokens());
		configuration.put("window.start-on-user-message", window.startOnUserMessage());
		if ("redis".equals(store)) {
			configuration.put("redis.key-prefix", redis.getKeyPrefix());
			putIfSet(configuration, "redis.time-to-live", redis.getTimeToLive());
			configuration.put("redis.max-history", redis.getMaxHistory());
		}
		else if ("jdbc".equals(store) && jdbc != null) {
			// the settings the store runs with: the platform is the detected one when unset
			configuration.put("jdbc.table-prefix", jdbc.tablePrefix());
			configuration.put("jdbc.platform", jdbc.dialect().platform());
			putIfSet(configuration, "jdbc.query-timeout", jdbc.queryTimeout());
		}
		else if ("in-memory".equals(store)) {
			configuration.put("in-memory.max-sessions", inMemory.getMaxSessions());
			configuration.put("in-memory.max-history", inMemory.getMaxHistory());
			configuration.put("in-memory.max-bytes", inMemory.getMaxBytes().toBytes());
		}
		configuration.put("search.max-scanned-messages", properties.getSearch().getMaxScannedMessages());
		putIfSet(configuration, "retention.max-age", properties.getRetention().getMaxAge());
		putIfSet(configuration, "retention.interval", properties.getRetention().getInterval());
		configuration.put("web.enabled", web.isEnabled());
		configuration.put("web.base-path", web.getBasePath());
		configuration.put("validation.max-content-length", properties.getValidation().getMaxContentLength());
		configuration.put("validation.max-metadata-size", properties.getValidation().getMaxMetadataSize().toBytes());
		configuration.put("transfer.max-import-size", properties.getTransfer().getMaxImportSize().toBytes());
		return configuration;
	}

	private static void putIfSet(Map<String, Object> configuration, String key, @Nullable Object value) {
		if (value instanceof Duration duration) {
			configuration.put(key, duration.toString());
		}
		else if (value != null) {
			configuration.put(key, value);
		}
	}

}
