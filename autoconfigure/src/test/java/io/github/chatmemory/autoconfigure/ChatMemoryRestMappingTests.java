package io.github.chatmemory.autoconfigure;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.web.ChatMemoryHandlerMapping;
import io.github.chatmemory.web.ChatMemoryRestController;
import io.github.chatmemory.web.OpenAccessPolicy;
import io.github.chatmemory.web.SessionAccessPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for how the REST API is mapped: by a handler mapping of its own, never by an
 * application's component scan, with Spring MVC's converters and the API's problem
 * handler applying; and for its {@code /health}, which answers as the actuator's health
 * indicator does when there is one.
 */
class ChatMemoryRestMappingTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
				ChatMemoryWebAutoConfiguration.class, ChatMemoryHealthAutoConfiguration.class,
				WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		// no user is needed for these requests
		.withBean(SessionAccessPolicy.class, OpenAccessPolicy::new);

	@Test
	void componentScanOfTheLibraryDoesNotRegisterTheController() {
		this.contextRunner.withUserConfiguration(ScanningApplication.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ChatMemoryRestController.class);
			assertThat(context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
				.getHandlerMethods()).isEmpty();
		});
	}

	@Test
	void componentScanOfTheLibraryAndTheApiEnabledGiveOneController() {
		this.contextRunner.withUserConfiguration(ScanningApplication.class)
			.withPropertyValues("chat-memory.web.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ChatMemoryRestController.class);
				// Spring MVC's own mapping leaves the controller to the API's mapping
				assertThat(context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
					.getHandlerMethods()).isEmpty();
				assertThat(context.getBean(ChatMemoryHandlerMapping.class).getHandlerMethods()).isNotEmpty();
			});
	}

	@Test
	void apiIsMappedWithConvertersAndProblemDetails() {
		this.contextRunner.withPropertyValues("chat-memory.web.enabled=true", "chat-memory.web.base-path=/memory")
			.run((context) -> {
				MockMvc mvc = mvc(context);
				mvc.perform(get("/memory/health"))
					.andExpect(status().isOk())
					.andExpect(jsonPath("$.status").value("UP"))
					.andExpect(jsonPath("$.store").value("in-memory"));
				mvc.perform(post("/memory/sessions").contentType(MediaType.APPLICATION_JSON)
					.content("{\"user_id\":\"ada\",\"title\":\"" + "x".repeat(201) + "\"}"))
					.andExpect(status().isBadRequest())
					.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.field").value("title"));
			});
	}

	@Test
	void healthAnswersAsTheHealthIndicatorWithItsTimeout() {
		this.contextRunner.withBean("chatMemoryStore", ChatMemoryStore.class, ChatMemoryRestMappingTests::unanswering)
			.withPropertyValues("chat-memory.web.enabled=true", "management.health.chatmemory.timeout=50ms")
			.run((context) -> mvc(context).perform(get("/api/v1/chat/health"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(jsonPath("$.status").value("DOWN"))
				.andExpect(jsonPath("$.store").value("unanswering"))
				.andExpect(jsonPath("$.error").value("The store did not answer within PT0.05S")));
	}

	@Test
	void healthPingsTheStoreItselfWithoutActuatorOrWithTheIndicatorOff() {
		WebApplicationContextRunner down = this.contextRunner
			.withBean("chatMemoryStore", ChatMemoryStore.class, ChatMemoryRestMappingTests::down)
			.withPropertyValues("chat-memory.web.enabled=true");
		down.withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
			.run(ChatMemoryRestMappingTests::answersDown);
		down.withPropertyValues("management.health.chatmemory.enabled=false").run(ChatMemoryRestMappingTests::answersDown);
	}

	private static void answersDown(WebApplicationContext context) throws Exception {
		mvc(context).perform(get("/api/v1/chat/health"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.status").value("DOWN"))
			.andExpect(jsonPath("$.error").value("store is down"));
	}

	private static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

	private static ChatMemoryStore unanswering() {
		return store("unanswering", () -> new CountDownLatch(1).await());
	}

	private static ChatMemoryStore down() {
		return store("down", () -> {
			throw new ChatMemoryUnavailableException("store is down", null);
		});
	}

	private static ChatMemoryStore store(String type, Ping ping) {
		return (ChatMemoryStore) Proxy.newProxyInstance(ChatMemoryStore.class.getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> switch (method.getName()) {
					case "type" -> type;
					case "ping" -> {
						ping.run();
						yield null;
					}
					case "toString" -> type + " store";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

	interface Ping {

		void run() throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	// the library's web package without this module's test applications in it
	@ComponentScan(basePackages = "io.github.chatmemory.web", excludeFilters = @ComponentScan.Filter(
			type = FilterType.REGEX, pattern = ".*(Application|IT|Tests)(\\$.*)?"))
	static class ScanningApplication {

	}

}
