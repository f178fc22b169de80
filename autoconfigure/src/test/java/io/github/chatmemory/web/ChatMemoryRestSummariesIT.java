package io.github.chatmemory.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Summaries over HTTP on the Redis store (a private {@code redis-server}).
 */
@SpringBootTest(classes = { RestTestApplication.class, SummariesRestTestConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "chat-memory.summary.enabled=true",
				"chat-memory.summary.trigger-tokens=1000000", "chat-memory.window.max-messages=4" })
class ChatMemoryRestSummariesIT extends AbstractRestSummariesIT {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

}
