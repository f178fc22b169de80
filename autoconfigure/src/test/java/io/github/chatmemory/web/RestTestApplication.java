package io.github.chatmemory.web;

import java.util.UUID;

import io.github.chatmemory.test.TestRedis;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The application the REST tests run: the starter's auto-configuration on the test Redis,
 * the API switched on, HTTP basic users {@code ada} and {@code bob} and the administrator
 * {@code root}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RestTestApplication.Users.class)
public class RestTestApplication {

	static final String PASSWORD = "secret";

	/**
	 * The filter chain of the README's "Securing it" section, exactly.
	 */
	@Bean
	SecurityFilterChain chatMemoryApiSecurity(HttpSecurity http) throws Exception {
		ChatMemorySecurityProblemHandler problems = new ChatMemorySecurityProblemHandler("Basic realm=\"chat-memory\"");
		return http.securityMatcher("/api/v1/chat/**")
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(HttpMethod.GET, "/api/v1/chat/health").permitAll()
				.requestMatchers("/api/v1/chat/statistics", "/api/v1/chat/cleanup").hasRole("CHAT_MEMORY_ADMIN")
				.anyRequest().authenticated())
			.httpBasic((basic) -> basic.authenticationEntryPoint(problems))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	/**
	 * Point the application at the test Redis, under a key prefix of its own.
	 * @param registry the registry
	 */
	public static void redisProperties(DynamicPropertyRegistry registry) {
		TestRedis.Endpoint redis = TestRedis.endpoint();
		redisProperties(registry, redis.host(), redis.port(), "2s");
	}

	/**
	 * Point the application at a given Redis, under a key prefix of its own.
	 * @param registry the registry
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param commandTimeout the client's command timeout, such as {@code 1s}
	 */
	public static void redisProperties(DynamicPropertyRegistry registry, String host, int port,
			String commandTimeout) {
		registry.add("spring.data.redis.host", () -> host);
		registry.add("spring.data.redis.port", () -> port);
		registry.add("spring.data.redis.timeout", () -> commandTimeout);
		registry.add("chat-memory.redis.key-prefix", () -> "test:" + UUID.randomUUID() + ":");
		registry.add("chat-memory.web.enabled", () -> "true");
	}

	/**
	 * The test users: HTTP basic users {@code ada} and {@code bob} and the administrator
	 * {@code root}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("ada").password(PASSWORD).roles("USER").build(),
					User.withUsername("bob").password(PASSWORD).roles("USER").build(),
					User.withUsername("root").password(PASSWORD).roles("CHAT_MEMORY_ADMIN").build());
		}

		/**
		 * Plain-text test passwords: the default encoder would upgrade them to BCrypt after
		 * the first login, and BCrypt's deliberate slowness would dominate tests that send
		 * thousands of requests.
		 */
		@Bean
		@SuppressWarnings("deprecation")
		PasswordEncoder passwordEncoder() {
			return NoOpPasswordEncoder.getInstance();
		}

	}

}
