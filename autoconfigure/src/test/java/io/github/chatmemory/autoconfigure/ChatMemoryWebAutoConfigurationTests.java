package io.github.chatmemory.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.ChatMemoryProblemHandler;
import io.github.chatmemory.web.ChatMemoryRestController;
import io.github.chatmemory.web.OpenAccessPolicy;
import io.github.chatmemory.web.SessionAccessPolicy;
import io.github.chatmemory.web.SpringSecurityAccessPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

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
	void aBasePathAtTheRootStopsTheStartNamingTheProperty() {
		for (String root : new String[] { "/", "", "//", "api" }) {
			this.webRunner.withPropertyValues("chat-memory.web.enabled=true", "chat-memory.web.base-path=" + root)
				.run((context) -> assertThat(context.getStartupFailure()).as(root)
					.rootCause()
					.isInstanceOf(InvalidChatMemoryPropertyException.class)
					.hasMessageContaining("chat-memory.web.base-path"));
		}
		this.webRunner.withPropertyValues("chat-memory.web.enabled=true", "chat-memory.web.base-path=/memory/")
			.run((context) -> assertThat(context).hasNotFailed());
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

	@Test
	void clientIsAnHttpServiceOfItsGroupOnEitherBaseUrl() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			byte[] body = ("{\"status\":\"UP\",\"store\":\"" + exchange.getRequestURI().getPath()
					+ "\",\"latency_millis\":1.0}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort();
			ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
					ChatMemoryClientAutoConfiguration.class, HttpServiceClientAutoConfiguration.class,
					HttpServiceClientPropertiesAutoConfiguration.class, RestClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
					JacksonAutoConfiguration.class));
			runner.withPropertyValues("chat-memory.client.base-url=" + url + "/ours")
				.run((context) -> assertThat(context.getBean(ChatMemoryClient.class).health().store())
					.isEqualTo("/ours/health"));
			runner.withPropertyValues("spring.http.serviceclient.chat-memory.base-url=" + url + "/boots")
				.run((context) -> assertThat(context.getBean(ChatMemoryClient.class).health().store())
					.isEqualTo("/boots/health"));
			// Spring Boot's group setting wins, as the more specific one
			runner.withPropertyValues("chat-memory.client.base-url=" + url + "/ours",
					"spring.http.serviceclient.chat-memory.base-url=" + url + "/boots")
				.run((context) -> assertThat(context.getBean(ChatMemoryClient.class).health().store())
					.isEqualTo("/boots/health"));
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void clientBacksOffToTheApplicationsClient() {
		ChatMemoryClient own = ChatMemoryClient.create(RestClient.create("http://localhost:1"));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ChatMemoryClientAutoConfiguration.class))
			.withPropertyValues("chat-memory.client.base-url=http://localhost:8080/api/v1/chat")
			.withBean("myClient", ChatMemoryClient.class, () -> own)
			.run((context) -> assertThat(context.getBean(ChatMemoryClient.class)).isSameAs(own));
	}

}
