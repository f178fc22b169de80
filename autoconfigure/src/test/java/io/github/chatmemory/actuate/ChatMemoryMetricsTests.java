package io.github.chatmemory.actuate;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.window.WindowPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Known operations give known meter counts.
 */
class ChatMemoryMetricsTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ChatMemoryManager manager;

	ChatMemoryMetricsTests() {
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
		ChatMemoryMetrics metrics = new ChatMemoryMetrics(this.meters);
		this.manager = ChatMemoryManager
			.builder(new ObservedChatMemoryStore(new InMemoryChatMemoryStore(10, 100, Clock.systemUTC()), observations,
					metrics))
			.defaultWindowPolicy(WindowPolicy.ofMessages(3).withStartOnUserMessage(false))
			.contextWindowListener(metrics::windowBuilt)
			.build();
	}

	@Test
	void knownOperationsGiveKnownCounts() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "q1"),
				NewMessage.of(MessageRole.ASSISTANT, "a1"), NewMessage.of(MessageRole.USER, "q2")));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.SYSTEM, "rules"));
		this.manager.getContextWindow("s-1");
		this.manager.getContextWindow("s-1");
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.appendMessage("missing", NewMessage.of(MessageRole.USER, "x")));

		assertThat(timerCount("create_session", "success")).isEqualTo(1);
		assertThat(timerCount("append", "success")).isEqualTo(2);
		assertThat(timerCount("append", "rejected")).isEqualTo(1);
		assertThat(timerCount("read_recent", "success")).isEqualTo(2);
		assertThat(this.meters.get(ChatMemoryMetrics.MESSAGES_APPENDED).tag("role", "user").counter().count())
			.isEqualTo(2);
		assertThat(this.meters.get(ChatMemoryMetrics.MESSAGES_APPENDED).tag("role", "assistant").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get(ChatMemoryMetrics.MESSAGES_APPENDED).tag("role", "system").counter().count())
			.isEqualTo(1);
		// a window of 3 of the 4 messages: system pinned, then a1 and q2; q1 left out
		assertThat(this.meters.get(ChatMemoryMetrics.WINDOW_MESSAGES).summary().count()).isEqualTo(2);
		assertThat(this.meters.get(ChatMemoryMetrics.WINDOW_MESSAGES).summary().totalAmount()).isEqualTo(6);
		assertThat(this.meters.get(ChatMemoryMetrics.WINDOW_TOKENS).summary().totalAmount()).isPositive();
		assertThat(this.meters.get(ChatMemoryMetrics.WINDOW_LEFT_OUT).tag("reason", "message_limit").counter().count())
			.isEqualTo(2);
	}

	private long timerCount(String operation, String outcome) {
		return this.meters.get(ObservedChatMemoryStore.OBSERVATION_NAME)
			.tag("operation", operation)
			.tag("store", "in-memory")
			.tag("outcome", outcome)
			.timer()
			.count();
	}

}
