package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.ChatMemoryProblemHandler;
import io.github.chatmemory.web.ChatMemoryRestController;
import io.github.chatmemory.web.OpenAccessPolicy;
import io.github.chatmemory.web.SessionAccessPolicy;
import io.github.chatmemory.web.SpringSecurityAccessPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatMemoryWebAutoConfiguration} and
 * {@link ChatMemoryClientAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatMemoryWebAutoConfigurationTests {

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryWebAutoConfiguration.class));

	@Test
	void apiIsOffByDefault() {
		this.webRunner.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryRestController.class)
			.doesNotHaveBean(ChatMemoryProblemHandler.class));
	}

	@Test
	void apiWithSpringSecurityRestrictsUsersToTheirSessions() {
		this.webRunner.withPropertyValues("chat-memory.web.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(ChatMemoryRestController.class)
				.hasSingleBean(ChatMemoryProblemHandler.class);
			assertThat(context.getBean(SessionAccessPolicy.class)).isInstanceOf(SpringSecurityAccessPolicy.class);
		});
	}

	@Test
	void apiWithoutSpringSecurityIsOpenAndSaysSoOnce(CapturedOutput output) {
		this.webRunner.withPropertyValues("chat-memory.web.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> {
				assertThat(context.getBean(SessionAccessPolicy.class)).isInstanceOf(OpenAccessPolicy.class);
				assertThat(output).containsOnlyOnce("enabled without Spring Security");
			});
	}

	@Test
	void apiNeedsAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryWebAutoConfiguration.class))
			.withPropertyValues("chat-memory.web.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryRestController.class));
	}

	@Test
	void clientOnlyWithABaseUrl() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryClientAutoConfiguration.class));
		runner.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryClient.class));
		runner.withPropertyValues("chat-memory.client.base-url=http://localhost:8080/api/v1/chat")
			.run((context) -> assertThat(context).hasSingleBean(ChatMemoryClient.class));
	}

}
