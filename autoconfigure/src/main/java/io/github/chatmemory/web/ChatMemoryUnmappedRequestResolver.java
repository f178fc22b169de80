package io.github.chatmemory.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Turns Spring MVC's errors raised before a handler is chosen (405 method not allowed,
 * 415 unsupported media type, 404 no such path) into problem details when the request is
 * under the chat memory API's base path. The controller advice cannot: it only applies
 * once the API's controller is the handler. Other paths are left to the application.
 */
public class ChatMemoryUnmappedRequestResolver implements HandlerExceptionResolver, Ordered {

	private final String basePath;

	private final ChatMemoryProblemHandler problemHandler;

	/**
	 * Create a resolver.
	 * @param basePath the API's base path
	 * @param problemHandler the API's problem handler, which knows Spring MVC's exceptions
	 */
	public ChatMemoryUnmappedRequestResolver(String basePath, ChatMemoryProblemHandler problemHandler) {
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		this.problemHandler = problemHandler;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (handler instanceof HandlerMethod || !isUnderBasePath(request)) {
			return null;
		}
		try {
			ResponseEntity<Object> entity = this.problemHandler.handleException(ex,
					new ServletWebRequest(request, response));
			if (entity == null || !(entity.getBody() instanceof ProblemDetail problem)) {
				return null;
			}
			entity.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
			ProblemResponses.write(request, response, problem);
			return new ModelAndView();
		}
		catch (Exception notHandled) {
			return null;
		}
	}

	private boolean isUnderBasePath(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals(this.basePath) || path.startsWith(this.basePath + "/");
	}

	@Override
	public int getOrder() {
		// before Spring MVC's own resolvers, which would send a bare error status
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
