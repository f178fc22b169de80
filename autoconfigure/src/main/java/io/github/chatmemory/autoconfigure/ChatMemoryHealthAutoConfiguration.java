package io.github.chatmemory.autoconfigure;

import java.util.Map;

import io.github.chatmemory.actuate.ChatMemoryHealthIndicator;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code chatMemory} health indicator, switched by
 * {@code management.health.chatmemory.enabled}.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
@ConditionalOnBean(ChatMemoryStore.class)
public final class ChatMemoryHealthAutoConfiguration {

	/**
	 * Nested so that the health condition, which needs spring-boot-health, is only read
	 * once that module is known to be there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("chatmemory")
	@EnableConfigurationProperties(ChatMemoryHealthProperties.class)
	static class HealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "chatMemoryHealthIndicator")
		ChatMemoryHealthIndicator chatMemoryHealthIndicator(ChatMemoryStore chatMemoryStore,
				ChatMemoryProperties properties, ChatMemoryHealthProperties healthProperties,
				ObjectProvider<JdbcStoreSettings> jdbcSettings) {
			// the JDBC store's database, known from its settings without a round trip
			JdbcStoreSettings jdbc = jdbcSettings.getIfUnique();
			Map<String, Object> details = (jdbc != null) ? Map.of("database", jdbc.dialect().platform()) : Map.of();
			return new ChatMemoryHealthIndicator(chatMemoryStore,
					healthProperties.effectiveTimeout(properties.getHealth()), details);
		}

	}

}
