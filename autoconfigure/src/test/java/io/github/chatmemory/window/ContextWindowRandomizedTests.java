package io.github.chatmemory.window;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generates thousands of histories with tool groups (whole, incomplete and orphaned) and
 * system messages, builds their windows under random policies, and checks the invariants
 * of {@link ContextWindowBuilder} on each.
 */
class ContextWindowRandomizedTests {

	private static final int HISTORIES = 3000;

	private static final String ALPHABET = "abcdefghij สวัสดี🙂";

	private final MessageTokenCounter counter = new MessageTokenCounter(new CharacterTokenEstimator());

	private final ChatMemoryManager manager = ChatMemoryManager
		.builder(new InMemoryChatMemoryStore(HISTORIES + 1, 10_000, Clock.systemUTC()))
		.tokenCounter(this.counter)
		.build();

	@Test
	void windowsKeepTheirInvariants() {
		long seed = Long.getLong("window.seed", 20261121L);
		Random random = new Random(seed);
		for (int h = 0; h < HISTORIES; h++) {
			String sessionId = "h-" + h;
			List<NewMessage> generated = history(random);
			if (generated.isEmpty()) {
				this.manager.appendMessages(sessionId, List.of(NewMessage.of(MessageRole.USER, "only")), true);
			}
			for (int from = 0; from < generated.size(); from += 1000) {
				this.manager.appendMessages(sessionId, generated.subList(from, Math.min(generated.size(), from + 1000)),
						true);
			}
			WindowPolicy policy = policy(random);
			List<StoredMessage> history = this.manager.getAllMessages(sessionId);
			ContextWindow window = this.manager.getContextWindow(sessionId, policy);
			String context = "seed " + seed + ", history " + h + ", " + policy;
			checkInvariants(history, window, policy, context);
		}
	}

	private void checkInvariants(List<StoredMessage> history, ContextWindow window, WindowPolicy policy,
			String context) {
		List<WindowMessage> messages = window.messages();
		// within both limits, and the total is the sum of the counted messages
		long sum = messages.stream().mapToLong(WindowMessage::tokens).sum();
		assertThat(window.totalTokens()).as(context).isEqualTo(sum);
		if (policy.maxTokens() != null) {
			assertThat(sum).as(context).isLessThanOrEqualTo(policy.maxTokens());
		}
		if (policy.maxMessages() != null) {
			assertThat(messages.size()).as(context).isLessThanOrEqualTo(policy.maxMessages());
		}
		for (WindowMessage message : messages) {
			assertThat(message.tokens()).as(context).isEqualTo(this.counter.count(message.message()));
		}

		// the pinned system message, if any, is first and is the newest system message
		StoredMessage newestSystem = null;
		for (StoredMessage message : history) {
			if (message.role() == MessageRole.SYSTEM) {
				newestSystem = message;
			}
		}
		List<StoredMessage> kept = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			WindowMessage message = messages.get(i);
			if (message.pinned()) {
				assertThat(i).as(context).isZero();
				assertThat(message.message()).as(context).isEqualTo(newestSystem);
			}
			else {
				assertThat(message.message().role()).as(context).isNotEqualTo(MessageRole.SYSTEM);
				kept.add(message.message());
			}
		}
		if (newestSystem != null && (policy.maxTokens() == null
				|| this.counter.count(newestSystem) <= policy.maxTokens())) {
			assertThat(messages).as(context).isNotEmpty();
			assertThat(messages.get(0).pinned()).as(context).isTrue();
		}

		// kept messages are in history order, never start with a tool response, and
		// every tool call comes with a response for each of its calls right after it
		assertThat(kept).extracting(StoredMessage::sequence).as(context).isSorted();
		if (!kept.isEmpty()) {
			assertThat(kept.get(0).role()).as(context).isNotEqualTo(MessageRole.TOOL);
			if (policy.startOnUserMessage()) {
				assertThat(kept.get(0).role()).as(context).isEqualTo(MessageRole.USER);
			}
		}
		for (int i = 0; i < kept.size(); i++) {
			StoredMessage message = kept.get(i);
			if (message.role() == MessageRole.TOOL) {
				int call = i;
				while (kept.get(call).role() == MessageRole.TOOL) {
					call--;
				}
				assertThat(kept.get(call).toolCalls()).as(context + ": tool response %s has its call", message.id())
					.isNotEmpty();
			}
			if (!message.toolCalls().isEmpty()) {
				Set<String> answered = new HashSet<>();
				for (int j = i + 1; j < kept.size() && kept.get(j).role() == MessageRole.TOOL; j++) {
					kept.get(j).toolResponses().forEach((response) -> answered.add(response.id()));
				}
				assertThat(answered).as(context + ": tool group of %s is whole", message.id())
					.containsAll(message.toolCalls().stream().map(ToolCall::id).toList());
				// the group in the window is the whole group of the history
				assertThat(groupSize(kept, i)).as(context).isEqualTo(groupSize(history, history.indexOf(message)));
			}
		}

		// the kept messages are the newest contiguous run: no plain user or assistant
		// message of the history newer than the oldest kept one is missing
		if (!kept.isEmpty()) {
			long oldest = kept.get(0).sequence();
			Set<String> keptIds = new HashSet<>(kept.stream().map(StoredMessage::id).toList());
			for (StoredMessage message : history) {
				boolean plain = message.role() == MessageRole.USER
						|| (message.role() == MessageRole.ASSISTANT && message.toolCalls().isEmpty());
				if (plain && message.sequence() > oldest) {
					assertThat(keptIds).as(context + ": newer message %s kept", message.id()).contains(message.id());
				}
			}
		}

		// every message of the session is either in the window or accounted for
		assertThat(messages.size() + window.leftOutCount()).as(context).isEqualTo(history.size());
		assertThat(window.sessionMessageCount()).as(context).isEqualTo(history.size());
	}

	private static int groupSize(List<StoredMessage> messages, int call) {
		int end = call + 1;
		while (end < messages.size() && messages.get(end).role() == MessageRole.TOOL) {
			end++;
		}
		return end - call;
	}

	private static WindowPolicy policy(Random random) {
		Integer maxMessages = (random.nextInt(3) > 0) ? 1 + random.nextInt(30) : null;
		Integer maxTokens = (maxMessages == null || random.nextBoolean()) ? 1 + random.nextInt(400) : null;
		return new WindowPolicy(maxMessages, maxTokens, random.nextInt(4) == 0);
	}

	private static List<NewMessage> history(Random random) {
		int units = random.nextInt(random.nextInt(10) == 0 ? 400 : 60);
		List<NewMessage> messages = new ArrayList<>();
		int call = 0;
		for (int u = 0; u < units; u++) {
			int kind = random.nextInt(20);
			if (kind < 7) {
				messages.add(NewMessage.of(MessageRole.USER, text(random)));
			}
			else if (kind < 14) {
				messages.add(NewMessage.of(MessageRole.ASSISTANT, text(random)));
			}
			else if (kind < 15) {
				messages.add(NewMessage.of(MessageRole.SYSTEM, text(random)));
			}
			else if (kind < 16) {
				messages.add(tool(List.of(new ToolResponse("orphan-" + call++, "f", text(random)))));
			}
			else {
				int calls = 1 + random.nextInt(3);
				List<ToolCall> toolCalls = new ArrayList<>();
				List<ToolResponse> responses = new ArrayList<>();
				for (int c = 0; c < calls; c++) {
					String id = "call-" + call++;
					toolCalls.add(new ToolCall(id, "function", "f", text(random)));
					responses.add(new ToolResponse(id, "f", text(random)));
				}
				messages.add(new NewMessage(null, MessageRole.ASSISTANT, "", Map.of(), null, toolCalls, List.of()));
				if (kind == 16 && !responses.isEmpty()) {
					responses.remove(random.nextInt(responses.size()));
				}
				if (random.nextBoolean()) {
					responses.forEach((response) -> messages.add(tool(List.of(response))));
				}
				else if (!responses.isEmpty()) {
					messages.add(tool(responses));
				}
			}
		}
		return messages;
	}

	private static NewMessage tool(List<ToolResponse> responses) {
		return new NewMessage(null, MessageRole.TOOL, "", Map.of(), null, List.of(), responses);
	}

	private static String text(Random random) {
		int length = random.nextInt(random.nextInt(8) == 0 ? 300 : 40);
		StringBuilder builder = new StringBuilder();
		for (int i = 0; i < length; i++) {
			builder.append(ALPHABET.charAt(random.nextInt(ALPHABET.length() - 2)));
		}
		return builder.toString();
	}

}
