package io.github.chatmemory.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends one HTTP request with {@link HttpURLConnection} and returns the status, for tests
 * that send many requests: it writes headers and body in one go, which keeps loopback
 * requests fast.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send a request.
	 * @param method the method
	 * @param uri the URI
	 * @param headers the headers
	 * @param body the body, or {@code null}
	 * @return the status code
	 * @throws IOException if the request cannot be sent
	 */
	public static int send(String method, URI uri, Map<String, String> headers, String body) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
		connection.setRequestMethod(method);
		connection.setConnectTimeout(10_000);
		connection.setReadTimeout(20_000);
		headers.forEach(connection::setRequestProperty);
		if (body != null) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			connection.setDoOutput(true);
			connection.setFixedLengthStreamingMode(bytes.length);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(bytes);
			}
		}
		int status = connection.getResponseCode();
		// read the body so the connection can be reused
		try (InputStream in = (status >= 400) ? connection.getErrorStream() : connection.getInputStream()) {
			if (in != null) {
				in.readAllBytes();
			}
		}
		return status;
	}

}
