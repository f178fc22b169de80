package io.github.chatmemory.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.StoredMessageCodec.Body;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream entry of a message: media apart from the body, entries written before that
 * still read back, and fingerprints that stay what they were.
 */
class StoredMessageCodecTests {

	private static final Instant CREATED_AT = Instant.parse("2026-01-01T00:00:00Z");

	private static final List<MessageMedia> MEDIA = List.of(
			new MessageMedia("image/png", "img-1", "picture", null, new byte[] { 0, 1, (byte) 255 }),
			new MessageMedia("application/pdf", null, "doc", "https://example.com/a.pdf", null));

	private static final NewMessage WITH_MEDIA = new NewMessage("m-1", MessageRole.USER, "see",
			Map.of("client", "web"), null, List.of(), List.of(), MEDIA);

	@Test
	void bodyHoldsNoMediaAndMediaHaveTheirOwnField() {
		String body = StoredMessageCodec.write(WITH_MEDIA, CREATED_AT);
		String media = StoredMessageCodec.writeMedia(WITH_MEDIA.media());
		assertThat(body).doesNotContain("media").doesNotContain("picture");
		assertThat(media).startsWith("[").contains("picture", "https://example.com/a.pdf");
		assertThat(StoredMessageCodec.writeMedia(List.of())).isEmpty();
		StoredMessage read = StoredMessageCodec.read("s-1", "m-1", 7, body, media, true);
		assertThat(read.media()).isEqualTo(MEDIA);
		assertThat(read.content()).isEqualTo("see");
		assertThat(read.createdAt()).isEqualTo(CREATED_AT);
		assertThat(StoredMessageCodec.read("s-1", "m-1", 7, body, media, false))
			.isEqualTo(read.withoutMedia())
			.satisfies((message) -> assertThat(message.media()).isEmpty());
	}

	@Test
	void entriesWrittenWithMediaInTheBodyReadBackWithThem() {
		// the body as it was written before media had a field of their own
		String oldBody = JsonMapper.builder()
			.build()
			.writeValueAsString(new Body("USER", "see", Map.of("client", "web"), null, null, null,
					CREATED_AT.toEpochMilli(), MEDIA));
		assertThat(oldBody).contains("\"media\"");
		StoredMessage read = StoredMessageCodec.read("s-1", "m-1", 7, oldBody, "", true);
		assertThat(read).isEqualTo(new StoredMessage("m-1", "s-1", 7, MessageRole.USER, "see", Map.of("client", "web"),
				null, List.of(), List.of(), CREATED_AT, MEDIA));
		assertThat(StoredMessageCodec.read("s-1", "m-1", 7, oldBody, "", false)).isEqualTo(read.withoutMedia());
	}

	@Test
	void fingerprintsStayWhatTheCodeBeforeSeparateMediaComputed() {
		// values computed by the codec of commit b92ca73, where media were part of the body:
		// the id hashes of stored sessions hold them, so a retry must compute the same
		assertThat(StoredMessageCodec.fingerprint(WITH_MEDIA)).isEqualTo("e7ba1649e36df2686a27164703e055f2");
		assertThat(StoredMessageCodec.fingerprint(NewMessage.of(MessageRole.ASSISTANT, "plain text")))
			.isEqualTo("12ffb7dc157ac0af87e75b89888fcd31");
		StoredMessage stored = new StoredMessage("m-1", "s-1", 3, MessageRole.USER, "see", Map.of("client", "web"), null,
				List.of(), List.of(), CREATED_AT, MEDIA);
		assertThat(StoredMessageCodec.fingerprint(stored)).isEqualTo(StoredMessageCodec.fingerprint(WITH_MEDIA));
	}

}
