package io.github.chatmemory.web;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatMemoryProblemHandler}'s backstops: a store failure that escaped
 * classification is a 503 to retry, anything else a 500 that reveals nothing.
 */
class ChatMemoryProblemHandlerTests {

	private final ChatMemoryProblemHandler handler = new ChatMemoryProblemHandler();

	@Test
	void escapedDataAccessExceptionIs503WithRetryAfter() throws Exception {
		for (Exception ex : new Exception[] { new DataAccessResourceFailureException("redis at 10.0.0.7 refused"),
				new InvalidDataAccessApiUsageException("ERR wrong number of arguments") }) {
			ResponseEntity<ProblemDetail> response = this.handler.unexpected(ex);
			assertThat(response.getStatusCode().value()).isEqualTo(503);
			assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
			assertThat(response.getBody().getDetail()).doesNotContain("10.0.0.7", "ERR");
		}
	}

	@Test
	void unexpectedExceptionIs500WithoutInternals() throws Exception {
		ResponseEntity<ProblemDetail> response = this.handler
			.unexpected(new IllegalStateException("key chat:{s:1}:meta has wrong type"));
		assertThat(response.getStatusCode().value()).isEqualTo(500);
		assertThat(response.getBody().getTitle()).isEqualTo("Internal error");
		assertThat(response.getBody().getDetail()).doesNotContain("chat:", "IllegalState");
	}

}
