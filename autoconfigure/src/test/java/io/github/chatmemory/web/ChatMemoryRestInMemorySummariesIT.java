package io.github.chatmemory.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Summaries over HTTP on the in-memory store.
 */
@SpringBootTest(classes = { RestTestApplication.class, SummariesRestTestConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "chat-memory.store=in-memory", "chat-memory.web.enabled=true",
				"chat-memory.summary.enabled=true", "chat-memory.summary.trigger-tokens=1000000",
				"chat-memory.window.max-messages=4" })
class ChatMemoryRestInMemorySummariesIT extends AbstractRestSummariesIT {

}
