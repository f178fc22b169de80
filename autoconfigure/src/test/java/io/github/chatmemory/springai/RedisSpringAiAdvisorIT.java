package io.github.chatmemory.springai;

import java.util.UUID;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.test.TestRedis;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's advisor and tool-loop memory tests on a real Redis.
 */
class RedisSpringAiAdvisorIT extends AbstractSpringAiAdvisorTests {

	@Override
	protected ApplicationContextRunner contextRunner() {
		TestRedis.Endpoint redis = TestRedis.endpoint();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ChatMemoryAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=redis", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(),
					"chat-memory.redis.key-prefix=test:" + UUID.randomUUID() + ":");
	}

}
