package io.github.chatmemory.springai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.MessageRole;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelMetadataLimit}.
 */
class ModelMetadataLimitTests {

	@Test
	void leavesOutTheLargestEntriesUntilTheMetadataFits() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("a", "1".repeat(30));
		metadata.put("b", "2".repeat(50));
		metadata.put("c", "3".repeat(40));
		metadata.put("d", "4");
		// {"a":"1...","c":"3...","d":"4"}: 2 + 36 + 1 + 46 + 1 + 7 = 93 bytes
		ModelMetadataLimit.Converted converted = new ModelMetadataLimit(93)
			.toNewMessages(List.of(AssistantMessage.builder().content("hi").properties(metadata).build()));
		assertThat(converted.messages().get(0).metadata()).containsOnlyKeys("a", "c", "d");
		assertThat(converted.leftOutKeys()).containsExactly(Map.entry("messages[0] (ASSISTANT)", List.of("b")));
		converted = new ModelMetadataLimit(92)
			.toNewMessages(List.of(AssistantMessage.builder().content("hi").properties(metadata).build()));
		assertThat(converted.messages().get(0).metadata()).containsOnlyKeys("a", "d");
		assertThat(converted.leftOutKeys()).containsExactly(Map.entry("messages[0] (ASSISTANT)", List.of("b", "c")));
	}

	@Test
	void aLeftOutEntryLeavesTheRecordedJavaTypesAndTheMessageReadsBackWithoutIt() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("index", 1234567890123L);
		metadata.put("finishReason", java.time.DayOfWeek.MONDAY);
		AssistantMessage reply = AssistantMessage.builder().content(null).properties(metadata).build();
		ModelMetadataLimit.Converted converted = new ModelMetadataLimit(120).toNewMessages(List.of(reply));
		NewMessage message = converted.messages().get(0);
		assertThat(message.metadata()).containsOnlyKeys("index", SpringAiMessages.TEXT_ABSENT,
				SpringAiMessages.JAVA_TYPES);
		assertThat(converted.leftOutKeys().values()).containsExactly(List.of("finishReason"));
		Message readBack = SpringAiMessages.toMessage(stored(message));
		assertThat(readBack.getText()).isNull();
		assertThat(readBack.getMetadata()).containsEntry("index", 1234567890123L).doesNotContainKey("finishReason");
		converted = new ModelMetadataLimit(30).toNewMessages(List.of(reply));
		assertThat(converted.messages().get(0).metadata()).containsOnlyKeys(SpringAiMessages.TEXT_ABSENT);
	}

	@Test
	void leavesMessagesTheApplicationWritesForTheManagerToRefuse() {
		Map<String, Object> metadata = Map.of("blob", "x".repeat(200));
		ModelMetadataLimit.Converted converted = new ModelMetadataLimit(100)
			.toNewMessages(List.of(UserMessage.builder().text("hi").metadata(metadata).build()));
		assertThat(converted.messages().get(0).metadata()).isEqualTo(metadata);
		assertThat(converted.leftOutKeys()).isEmpty();
	}

	private static StoredMessage stored(NewMessage message) {
		return new StoredMessage("m-1", "s-1", 1, MessageRole.ASSISTANT, message.content(),
				io.github.chatmemory.support.MetadataJson.normalize(message.metadata()), null, message.toolCalls(),
				message.toolResponses(), java.time.Instant.EPOCH, message.media());
	}

}
