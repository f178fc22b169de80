package io.github.chatmemory.support;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ChatMemoryValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StrictJson}: input that Jackson would coerce is refused, naming its
 * JSON path.
 */
class StrictJsonTests {

	private static final JsonMapper MAPPER = StrictJson.configure(JsonMapper.builder()).build();

	record Sample(String content, Integer days, Boolean flag, Instant at, Map<String, Object> metadata,
			@JsonProperty("older_than_days") Integer olderThanDays) {
	}

	@Test
	void readsWellTypedInput() {
		Sample sample = read("{\"content\":\"x\",\"days\":2,\"flag\":true,\"at\":\"2026-01-01T00:00:00Z\","
				+ "\"metadata\":{\"n\":1.5,\"big\":12345678901234567890123,\"list\":[1,\"a\",null]}}");
		assertThat(sample.content()).isEqualTo("x");
		assertThat(sample.days()).isEqualTo(2);
		assertThat(sample.at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(sample.metadata()).containsEntry("n", 1.5);
		assertThat(read("{\"at\":\"2026-01-01T02:00:00+02:00\"}").at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"older_than_days": 1.5}                     | older_than_days
			{"days": "3"}                                | days
			{"days": true}                               | days
			{"content": 12345}                           | content
			{"content": true}                            | content
			{"content": 1.5}                             | content
			{"flag": 1}                                  | flag
			{"flag": "true"}                             | flag
			{"at": 1.5e300}                              | at
			{"at": 1767225600}                           | at
			{"at": "yesterday"}                          | at
			{"metadata": {"x": 1e400}}                   | metadata.x
			{"metadata": {"x": [1, -1e400]}}             | metadata.x[1]
			{"content": "a", "content": "b"}             | value
			{"metadata": {"k": 1, "k": 2}}               | value
			{"unknown": 1}                               | unknown
			{"content": "x"} {}                          | value
			{"content": NaN}                             | value
			""")
	void refusesWhatJacksonWouldCoerce(String json, String field) {
		assertThatExceptionOfType(ChatMemoryValidationException.class).isThrownBy(() -> read(json))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

	@Test
	void refusalsNameNoJavaClassOfTheApplication() {
		assertThatExceptionOfType(ChatMemoryValidationException.class).isThrownBy(() -> read("{\"at\": [1]}"))
			.satisfies((ex) -> assertThat(ex.getRule()).doesNotContain("java.").doesNotContain("io.github"));
		assertThat(StrictJson.withoutJavaNames("Cannot deserialize value of type `java.time.Instant` from Array "
				+ "and `io.github.chatmemory.transfer.SessionExportDocument$Summary` or `java.util.List<java.lang.String>`"))
			.isEqualTo("Cannot deserialize value of type `Instant` from Array and `Summary` or `List`");
	}

	private static Sample read(String json) {
		return StrictJson.read(MAPPER, json, Sample.class, "value");
	}

}
