package io.github.chatmemory.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers Spring Security's 401 and 403 with RFC 9457 problem details, like every other
 * error of the chat memory API. Use it as the authentication entry point and access
 * denied handler of the filter chain that protects the API.
 */
public class ChatMemorySecurityProblemHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final @Nullable String challenge;

	/**
	 * Create a handler that sends no {@code WWW-Authenticate} challenge.
	 */
	public ChatMemorySecurityProblemHandler() {
		this(null);
	}

	/**
	 * Create a handler.
	 * @param challenge the {@code WWW-Authenticate} value of a 401, such as
	 * {@code Basic realm="chat-memory"} or {@code Bearer}, or {@code null} for none
	 */
	public ChatMemorySecurityProblemHandler(@Nullable String challenge) {
		this.challenge = challenge;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		if (this.challenge != null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, this.challenge);
		}
		ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
				"Authentication is required");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		ProblemResponses.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
				"Access to this resource is denied");
	}

}
