package io.github.chatmemory.web;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards every request to the chat memory API before Spring MVC reads it: a request
 * without a user is refused (401, except {@code GET /health}), a body that is not JSON is
 * refused (415, so that a cross-site form cannot post to the API), and a body larger than
 * the limit is refused (413) from its {@code Content-Length} or, for a chunked body, as
 * soon as reading passes the limit, so an oversized body is never held in memory.
 */
public class ChatMemoryRequestFilter extends OncePerRequestFilter {

	private final SessionAccessPolicy accessPolicy;

	private final long maxRequestBytes;

	private final long maxImportBytes;

	/**
	 * Create a filter.
	 * @param accessPolicy decides whether the request has a user
	 * @param maxRequestBytes the largest body of every request but imports
	 * @param maxImportBytes the largest body of an import
	 */
	public ChatMemoryRequestFilter(SessionAccessPolicy accessPolicy, long maxRequestBytes, long maxImportBytes) {
		this.accessPolicy = accessPolicy;
		this.maxRequestBytes = maxRequestBytes;
		this.maxImportBytes = maxImportBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		if (!isWellFormed(request.getQueryString())) {
			// the container would fail on it later, as a 500: it is bad input
			ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST, "Malformed query string",
					"The query string is not valid percent-encoded UTF-8");
			return;
		}
		boolean health = path.endsWith("/health") && "GET".equals(request.getMethod());
		if (!health) {
			try {
				this.accessPolicy.currentAccess();
			}
			catch (ChatMemoryAccessDeniedException ex) {
				ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", ex.getMessage());
				return;
			}
		}
		boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
		boolean write = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod())
				|| "PATCH".equals(request.getMethod());
		if (write && (hasBody || request.getContentType() != null) && !isJson(request.getContentType())) {
			response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
			ProblemResponses.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
					"Request bodies must be application/json");
			return;
		}
		long limit = path.endsWith("/sessions/import") ? this.maxImportBytes : this.maxRequestBytes;
		if (request.getContentLengthLong() > limit) {
			tooLarge(request, response, limit);
			return;
		}
		try {
			// every body is read through the limit, whatever the request says of its length:
			// HTTP/2 streams and bodies without framing headers are bodies too
			chain.doFilter(new LimitedRequest(request, limit), response);
		}
		catch (RequestTooLargeException ex) {
			if (!response.isCommitted()) {
				tooLarge(request, response, limit);
			}
		}
		catch (ServletException ex) {
			if (!(ex.getCause() instanceof RequestTooLargeException) || response.isCommitted()) {
				throw ex;
			}
			tooLarge(request, response, limit);
		}
	}

	/**
	 * Whether a query string decodes strictly: every {@code %} followed by two hex digits,
	 * and the bytes of each name and value valid UTF-8. Only the query string is looked
	 * at, never a body, so nothing is read before the request is let through.
	 */
	static boolean isWellFormed(@Nullable String query) {
		if (query == null) {
			return true;
		}
		for (String part : query.split("[&=]", -1)) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
			for (int i = 0; i < part.length(); i++) {
				char c = part.charAt(i);
				if (c == '%') {
					if (i + 2 >= part.length() || Character.digit(part.charAt(i + 1), 16) < 0
							|| Character.digit(part.charAt(i + 2), 16) < 0) {
						return false;
					}
					bytes.write(Character.digit(part.charAt(i + 1), 16) * 16 + Character.digit(part.charAt(i + 2), 16));
					i += 2;
				}
				else if (c > 0x7f) {
					return false;
				}
				else {
					bytes.write(c);
				}
			}
			try {
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes.toByteArray()));
			}
			catch (CharacterCodingException ex) {
				return false;
			}
		}
		return true;
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long limit)
			throws IOException {
		// the rest of the body is not read: close the connection rather than drain it
		response.setHeader(HttpHeaders.CONNECTION, "close");
		ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
				"Request body must be at most " + limit + " bytes");
	}

	/**
	 * A request whose body stream fails once more than the limit has been read.
	 */
	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			// a reader over the same limited stream: no way around the limit
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		LimitedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) {
			this.read += n;
			if (this.read > this.limit) {
				throw new RequestTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

}
