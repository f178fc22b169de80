package io.github.chatmemory.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Answers requests to the chat memory API that Spring Security's HTTP firewall rejects
 * (a path with {@code ..}, {@code //}, {@code ;} or an encoded {@code %}, say) with a 400
 * and RFC 9457 problem details, like every other error of the API. Requests to other
 * paths are handled as Spring Security handles them by default.
 */
public class ChatMemoryRequestRejectedHandler implements RequestRejectedHandler {

	private static final String DETAIL = "The request was rejected by the HTTP firewall";

	private final String basePath;

	private final RequestRejectedHandler otherRequests;

	/**
	 * Create a handler that leaves requests outside the API to Spring Security's default.
	 * @param basePath the base path of the chat memory API
	 */
	public ChatMemoryRequestRejectedHandler(String basePath) {
		this(basePath, new HttpStatusRequestRejectedHandler());
	}

	/**
	 * Create a handler.
	 * @param basePath the base path of the chat memory API, below the root
	 * @param otherRequests handles rejected requests outside the API
	 */
	public ChatMemoryRequestRejectedHandler(String basePath, RequestRejectedHandler otherRequests) {
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		// under the root, every rejected request of the application would be taken for the API's
		Assert.isTrue(this.basePath.startsWith("/") && this.basePath.length() > 1,
				() -> "basePath must be a path below the root, such as /api/v1/chat, but was '" + basePath + "'");
		this.otherRequests = otherRequests;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			RequestRejectedException requestRejectedException) throws IOException, ServletException {
		if (!isForTheApi(request)) {
			this.otherRequests.handle(request, response, requestRejectedException);
			return;
		}
		ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST, "Bad Request",
				detail(requestRejectedException));
	}

	/**
	 * Whether the request goes to the API, as the container routes it (decoded and
	 * normalized) or as it was written.
	 */
	private boolean isForTheApi(HttpServletRequest request) {
		String routed = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		String written = request.getRequestURI().substring(Math.min(request.getRequestURI().length(),
				request.getContextPath().length()));
		return isUnderBasePath(routed) || isUnderBasePath(written.replaceAll("/{2,}", "/"));
	}

	private boolean isUnderBasePath(String path) {
		if (!path.startsWith(this.basePath)) {
			return false;
		}
		if (path.length() == this.basePath.length()) {
			return true;
		}
		char next = path.charAt(this.basePath.length());
		return next == '/' || next == ';';
	}

	/**
	 * Say which rule the URL broke: Spring Security's reasons for a URL name only the
	 * rule and the forbidden sequence, while those for headers and parameters may quote
	 * what the client sent, which is not echoed.
	 */
	private static String detail(RequestRejectedException ex) {
		String reason = ex.getMessage();
		if (reason != null && (reason.startsWith("The request was rejected because the URL")
				|| reason.startsWith("The requestURI was rejected"))) {
			return DETAIL + ": " + reason
					+ " (chat memory ids never contain \"..\", \"/\", \"\\\", \"%\", \";\" or control characters)";
		}
		return DETAIL;
	}

}
