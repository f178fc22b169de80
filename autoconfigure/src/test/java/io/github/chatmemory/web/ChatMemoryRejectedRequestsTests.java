package io.github.chatmemory.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Requests refused before they reach the API, sent as raw bytes (HTTP clients normalize
 * URLs) to a running server: under the API's base path Spring Security's firewall
 * rejections are problem details; every other path is answered as before; an
 * application's own {@link RequestRejectedHandler} wins. Tomcat's own URL checks answer
 * before any filter of the application runs, and stay Tomcat's.
 */
class ChatMemoryRejectedRequestsTests {

	/** Paths Spring Security's StrictHttpFirewall rejects; Tomcat lets them through. */
	static final List<String> FIREWALL_REJECTED = List.of("/..;/health", "/sessions/../health", "/sessions;x=1",
			"//health", "/sessions/a%25b", "/sessions/a%3Bb", "/sessions/%2e%2e/health");

	/** Paths Tomcat itself refuses, before the application sees them. */
	static final List<String> TOMCAT_REJECTED = List.of("/sessions/a%2Fb", "/sessions/a%00b", "/sessions/a%5Cb");

	static final String BASE_PATH = "/api/v1/chat";

	@Test
	void aBasePathAtTheRootIsRefusedRatherThanClaimingEveryRequest() {
		for (String root : List.of("/", "", "api")) {
			assertThatIllegalArgumentException().as(root)
				.isThrownBy(() -> new ChatMemoryRequestRejectedHandler(root))
				.withMessageContaining("basePath must be a path below the root");
		}
	}

	@Nested
	@SpringBootTest(classes = SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "chat-memory.store=in-memory", "chat-memory.web.enabled=true" })
	class WithSpringSecurity {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@Test
		void firewallRejectionsUnderTheBasePathAreProblemDetails() throws IOException {
			assertThat(this.context.getBean(RequestRejectedHandler.class))
				.isInstanceOf(ChatMemoryRequestRejectedHandler.class);
			for (String path : FIREWALL_REJECTED) {
				Response response = get(this.port, BASE_PATH + path);
				assertThat(response.status()).as(path).isEqualTo(400);
				assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
				assertThat(response.body()).as(path)
					.contains("\"status\":400", "\"title\":\"Bad Request\"",
							"\"detail\":\"The request was rejected by the HTTP firewall: The request was rejected because the URL");
			}
		}

		@Test
		void otherPathsAreAnsweredAsSpringSecurityAnswersThem() throws IOException {
			for (String path : FIREWALL_REJECTED) {
				Response response = get(this.port, "/hello" + path);
				assertThat(response.status()).as(path).isEqualTo(400);
				// Spring Security's default handler: an error that Spring Boot's error page renders
				assertThat(response.contentType()).as(path).isEqualTo("application/json");
				assertThat(response.body()).as(path).contains("\"error\":\"Bad Request\"").doesNotContain("detail");
			}
			// a path that only starts like the base path is not the API
			assertThat(get(this.port, BASE_PATH + "-other/../x").contentType()).isEqualTo("application/json");
		}

		@Test
		void tomcatRejectionsStayTomcats() throws IOException {
			for (String path : TOMCAT_REJECTED) {
				Response response = get(this.port, BASE_PATH + path);
				assertThat(response.status()).as(path).isEqualTo(400);
				// not reachable from the application: Tomcat's error report valve answers
				assertThat(response.contentType()).as(path).startsWith("text/html");
			}
		}

	}

	@Nested
	@SpringBootTest(classes = { SecuredApplication.class, OwnRejectedRequestHandler.class },
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "chat-memory.store=in-memory", "chat-memory.web.enabled=true" })
	class WithTheApplicationsOwnHandler {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@Test
		void theApplicationsHandlerAnswersEveryPath() throws IOException {
			assertThat(this.context.getBeansOfType(RequestRejectedHandler.class)).containsOnlyKeys("ownHandler");
			for (String path : List.of(BASE_PATH + "/sessions/../health", "/hello/../hello")) {
				Response response = get(this.port, path);
				assertThat(response.status()).as(path).isEqualTo(418);
				assertThat(response.body()).as(path).isEqualTo("rejected by the application");
			}
		}

	}

	@Nested
	@SpringBootTest(classes = OpenApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "chat-memory.store=in-memory", "chat-memory.web.enabled=true",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
							+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
							+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
							+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
							+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
	class WithoutSpringSecurity {

		@LocalServerPort
		int port;

		@Test
		void withoutAFirewallTheApiAnswersWithProblemDetails() throws IOException {
			// no firewall: these paths reach the API, which refuses them (no user, or no
			// such resource) with problem details
			for (String path : FIREWALL_REJECTED) {
				Response response = get(this.port, BASE_PATH + path);
				assertThat(response.status()).as(path).isIn(401, 404);
				assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
			}
		}

		@Test
		void tomcatRejectionsStayTomcats() throws IOException {
			for (String path : TOMCAT_REJECTED) {
				Response response = get(this.port, BASE_PATH + path);
				assertThat(response.status()).as(path).isEqualTo(400);
				assertThat(response.contentType()).as(path).startsWith("text/html");
			}
		}

	}

	/**
	 * Send a GET request exactly as written, over a socket, and read the whole response.
	 */
	static Response get(int port, String path) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic YWRhOnNlY3JldA==\r\n"
					+ "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			int headersEnd = response.indexOf("\r\n\r\n");
			String head = response.substring(0, headersEnd);
			String body = response.substring(headersEnd + 4);
			int status = Integer.parseInt(head.substring(9, 12));
			String contentType = head.lines()
				.filter((line) -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
				.map((line) -> line.substring(13).trim())
				.findFirst()
				.orElse("");
			if (head.lines().anyMatch((line) -> line.equalsIgnoreCase("Transfer-Encoding: chunked"))) {
				body = unchunk(body);
			}
			return new Response(status, contentType, body);
		}
	}

	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int position = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", position);
			int size = Integer.parseInt(chunked.substring(position, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			position = lineEnd + 2 + size + 2;
		}
	}

	record Response(int status, String contentType, String body) {
	}

	/** The chat memory API behind Spring Security, and a path of the application's own. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ RestTestApplication.Users.class, Hello.class })
	static class SecuredApplication {

		@Bean
		SecurityFilterChain permitAll(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

	/** An application's own handler of rejected requests. */
	static class OwnRejectedRequestHandler {

		@Bean
		RequestRejectedHandler ownHandler() {
			return (request, response, ex) -> {
				response.setStatus(418);
				response.getWriter().write("rejected by the application");
				response.flushBuffer();
			};
		}

	}

	/** The chat memory API without Spring Security. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Hello.class)
	static class OpenApplication {

	}

	@RestController
	static class Hello {

		@GetMapping("/hello/**")
		String hello() {
			return "hello";
		}

	}

}
