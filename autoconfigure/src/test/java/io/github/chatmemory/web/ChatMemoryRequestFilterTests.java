package io.github.chatmemory.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatMemoryRequestFilter}'s strict query-string check.
 */
class ChatMemoryRequestFilterTests {

	@Test
	void wellFormedQueryStringsPass() {
		assertThat(ChatMemoryRequestFilter.isWellFormed(null)).isTrue();
		assertThat(ChatMemoryRequestFilter.isWellFormed("")).isTrue();
		assertThat(ChatMemoryRequestFilter.isWellFormed("page=0&size=20")).isTrue();
		assertThat(ChatMemoryRequestFilter.isWellFormed("q=%E0%B8%9B%E0%B8%B2%E0%B8%A2&flag")).isTrue();
		assertThat(ChatMemoryRequestFilter.isWellFormed("q=a+b%20c")).isTrue();
	}

	@Test
	void malformedPercentEncodingOrInvalidUtf8Fails() {
		assertThat(ChatMemoryRequestFilter.isWellFormed("page=%FF")).isFalse();
		assertThat(ChatMemoryRequestFilter.isWellFormed("limit=%C0")).isFalse();
		assertThat(ChatMemoryRequestFilter.isWellFormed("q=%ED%A0%80")).isFalse();
		assertThat(ChatMemoryRequestFilter.isWellFormed("q=%4")).isFalse();
		assertThat(ChatMemoryRequestFilter.isWellFormed("q=%zz")).isFalse();
	}

}
