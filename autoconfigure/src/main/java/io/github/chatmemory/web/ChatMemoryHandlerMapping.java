package io.github.chatmemory.web;

import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Maps requests to the chat memory REST API's {@link ChatMemoryRestController} beans,
 * which carry no stereotype annotation and so are not handlers of Spring MVC's own
 * request mapping. Spring MVC's handler adapter still invokes them, so the application's
 * message converters, argument resolvers and the API's {@link ChatMemoryProblemHandler}
 * apply as to any controller. An {@code If-Match} header is refused on the endpoints that
 * do not evaluate it.
 */
public class ChatMemoryHandlerMapping extends RequestMappingHandlerMapping {

	/**
	 * Create the mapping, ordered before Spring MVC's request mapping (order 0) so that an
	 * application handler of a broader pattern does not shadow the API.
	 */
	public ChatMemoryHandlerMapping() {
		setOrder(-1);
		setInterceptors(new UnsupportedIfMatchInterceptor());
	}

	@Override
	protected boolean isHandler(Class<?> beanType) {
		return ChatMemoryRestController.class.isAssignableFrom(beanType);
	}

}
