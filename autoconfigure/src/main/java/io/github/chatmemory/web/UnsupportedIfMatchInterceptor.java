package io.github.chatmemory.web;

import java.util.Arrays;

import io.github.chatmemory.ChatMemoryValidationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses an {@code If-Match} header on the chat memory API's endpoints that do not
 * evaluate it (those without an {@code If-Match} parameter), with a 400 naming the
 * header: a client that sends it relies on the version, and a write that ignored it
 * silently could overwrite what the client has not seen.
 */
class UnsupportedIfMatchInterceptor implements HandlerInterceptor {

	static final String RULE = "is not supported here; version-checked: append, title, import";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String ifMatch = request.getHeader(EntityTags.IF_MATCH);
		if (!(handler instanceof HandlerMethod method) || ifMatch == null) {
			return true;
		}
		if (!evaluatesIfMatch(method)) {
			throw new ChatMemoryValidationException(EntityTags.IF_MATCH, RULE);
		}
		if (ifMatch.isBlank()) {
			// an empty header reaches a handler as none at all, which would write unchecked
			throw new ChatMemoryValidationException(EntityTags.IF_MATCH,
					"must be * or one or more entity tags such as \"3\" but was empty");
		}
		return true;
	}

	private static boolean evaluatesIfMatch(HandlerMethod method) {
		return Arrays.stream(method.getMethodParameters())
			.map((parameter) -> parameter.getParameterAnnotation(RequestHeader.class))
			.anyMatch((header) -> header != null && EntityTags.IF_MATCH.equalsIgnoreCase(header.name()));
	}

}
