package io.github.chatmemory.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes RFC 9457 problem details straight to a servlet response, for errors raised
 * outside Spring MVC's message conversion (filters, security handlers). It writes the JSON
 * itself so that the application's own ObjectMapper configuration plays no part.
 */
final class ProblemResponses {

	private ProblemResponses() {
	}

	static void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status, String title,
			String detail) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		write(request, response, problem);
	}

	static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		StringBuilder json = new StringBuilder("{\"type\":");
		string(json, (problem.getType() != null) ? problem.getType().toString() : "about:blank");
		json.append(",\"title\":");
		string(json, (problem.getTitle() != null) ? problem.getTitle() : "");
		json.append(",\"status\":").append(problem.getStatus());
		if (problem.getDetail() != null) {
			json.append(",\"detail\":");
			string(json, problem.getDetail());
		}
		json.append(",\"instance\":");
		string(json, (problem.getInstance() != null) ? problem.getInstance().toString() : request.getRequestURI());
		Map<String, @Nullable Object> properties = problem.getProperties();
		if (properties != null) {
			properties.forEach((name, value) -> {
				json.append(',');
				string(json, name);
				json.append(':');
				string(json, String.valueOf(value));
			});
		}
		json.append('}');
		byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	private static void string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20 || c == '\u2028' || c == '\u2029') {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
