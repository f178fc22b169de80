package io.github.chatmemory.store.memory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.StoredMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MessageLog}: random access stays right across trimming and compaction.
 */
class MessageLogTests {

	private static StoredMessage message(long sequence) {
		return new StoredMessage("m-" + sequence, "s", sequence, MessageRole.USER, "text " + sequence, Map.of(), null,
				List.of(), List.of(), Instant.EPOCH);
	}

	@Test
	void trimsFromTheFrontAndCompactsWithoutLosingOrder() {
		MessageLog log = new MessageLog();
		for (long sequence = 1; sequence <= 5000; sequence++) {
			log.add(message(sequence));
			if (log.size() > 1500) {
				assertThat(log.removeOldest().sequence()).isEqualTo(sequence - 1500);
			}
		}
		assertThat(log).hasSize(1500);
		assertThat(log.get(0).sequence()).isEqualTo(3501);
		assertThat(log.get(1499).sequence()).isEqualTo(5000);
		assertThat(log.subList(10, 12)).extracting(StoredMessage::sequence).containsExactly(3511L, 3512L);
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> log.get(1500));
		log.clear();
		assertThat(log).isEmpty();
		log.add(message(7));
		assertThat(log.get(0).sequence()).isEqualTo(7);
	}

}
