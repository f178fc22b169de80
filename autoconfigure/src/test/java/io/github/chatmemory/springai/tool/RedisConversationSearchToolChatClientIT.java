package io.github.chatmemory.springai.tool;

import java.util.UUID;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryToolsAutoConfiguration;
import io.github.chatmemory.test.TestRedis;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The conversation_search tool in a ChatClient turn on a real Redis.
 */
class RedisConversationSearchToolChatClientIT extends AbstractConversationSearchToolChatClientTests {

	@Override
	protected ApplicationContextRunner contextRunner() {
		TestRedis.Endpoint redis = TestRedis.endpoint();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					ChatMemoryAutoConfiguration.class, ChatMemoryToolsAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=redis", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(),
					"chat-memory.redis.key-prefix=test:" + UUID.randomUUID() + ":",
					"chat-memory.tools.conversation-search.enabled=true");
	}

}
