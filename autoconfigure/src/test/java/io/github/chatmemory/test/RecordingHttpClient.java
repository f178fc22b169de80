package io.github.chatmemory.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * Sends requests to the chat memory REST API as one user and records every exchange:
 * status, headers, body and how long it took, so fault tests can check each response
 * after the run rather than only the ones they happened to look at.
 */
public final class RecordingHttpClient {

	/** Longer than any answer the API should ever take: a hang shows up as an error. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	private final String authorization;

	private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

	/**
	 * Create a client of the API under {@code /api/v1/chat} on a local port.
	 * @param port the server port
	 * @param user the HTTP basic user
	 * @param password the password
	 */
	public RecordingHttpClient(int port, String user, String password) {
		this.baseUrl = "http://localhost:" + port + "/api/v1/chat";
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send a request and record the exchange; a request that gets no answer is recorded
	 * with status {@code -1} and the error.
	 * @param method the method
	 * @param path the path under the API's base path
	 * @param body a JSON body, or {@code null}
	 * @param headers further headers
	 * @return the exchange
	 */
	public Exchange send(String method, String path, @Nullable String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", this.authorization)
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		headers.forEach(request::header);
		long start = System.nanoTime();
		Exchange exchange;
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			exchange = new Exchange(method, path, headers, response.statusCode(), response.headers(), response.body(),
					start, System.nanoTime(), null);
		}
		catch (IOException ex) {
			exchange = new Exchange(method, path, headers, -1, HttpHeaders.of(Map.of(), (name, value) -> true), "",
					start, System.nanoTime(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		this.exchanges.add(exchange);
		return exchange;
	}

	/**
	 * Every exchange so far, in the order they completed.
	 * @return the exchanges
	 */
	public List<Exchange> exchanges() {
		return new ArrayList<>(this.exchanges);
	}

	/**
	 * One request and its answer.
	 *
	 * @param method the method
	 * @param path the path under the API's base path
	 * @param requestHeaders the headers the test added
	 * @param status the status, or {@code -1} if no answer came
	 * @param headers the response headers
	 * @param body the response body
	 * @param startNanos {@link System#nanoTime()} when the request was sent
	 * @param endNanos {@link System#nanoTime()} when the answer (or the error) came
	 * @param error why no answer came, or {@code null}
	 */
	public record Exchange(String method, String path, Map<String, String> requestHeaders, int status,
			HttpHeaders headers, String body, long startNanos, long endNanos, @Nullable IOException error) {

		/**
		 * How long the request took.
		 * @return the elapsed time
		 */
		public Duration elapsed() {
			return Duration.ofNanos(this.endNanos - this.startNanos);
		}

		/**
		 * Whether the request was on its way at a given instant.
		 * @param nanos a {@link System#nanoTime()} value
		 * @return {@code true} if the request was sent before and answered after it
		 */
		public boolean inFlightAt(long nanos) {
			return this.startNanos <= nanos && nanos <= this.endNanos;
		}

		/**
		 * The exchange in one line, for assertion messages.
		 * @return a description
		 */
		public String describe() {
			String text = this.body.replaceAll("\\s+", " ");
			return this.method + " " + this.path + " -> " + this.status + " in " + elapsed().toMillis() + " ms "
					+ this.headers.firstValue("Content-Type").orElse("") + " "
					+ ((this.error != null) ? this.error.toString() : text.substring(0, Math.min(text.length(), 400)));
		}

	}

}
