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
			// as Spring AI 2.0, only a window that a limit cut snaps to a user message
			boolean cut = window.leftOut().containsKey(LeftOutReason.MESSAGE_LIMIT)
					|| window.leftOut().containsKey(LeftOutReason.TOKEN_BUDGET)
					|| window.leftOut().containsKey(LeftOutReason.LOOK_BACK_LIMIT);
			if (policy.startOnUserMessage() && cut && kept.get(0).role() != MessageRole.USER) {
				// only the call in flight may start the window: the newest call, with
				// nothing but its responses after it
				StoredMessage first = kept.get(0);
				assertThat(first.role()).as(context).isEqualTo(MessageRole.ASSISTANT);
				assertThat(first.toolCalls()).as(context).isNotEmpty();
				assertThat(history.stream().filter((message) -> message.sequence() > first.sequence()))
					.as(context)
					.extracting(StoredMessage::role)
					.isSubsetOf(MessageRole.TOOL, MessageRole.SYSTEM);
			}
		}
		checkToolCallPairing(history, kept, context);

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

	/**
	 * What an OpenAI-compatible API accepts: every tool response id in the window answers
	 * a call of the assistant message right before its run of tool messages, once; every
	 * assistant message with tool calls in the window has all its calls answered there,
	 * unless it is the session's last group (a call in flight), and is followed by every
	 * tool message of the history that answers it.
	 */
	private static void checkToolCallPairing(List<StoredMessage> history, List<StoredMessage> kept,
			String context) {
		for (int i = 0; i < kept.size(); i++) {
			StoredMessage message = kept.get(i);
			if (message.role() == MessageRole.TOOL) {
				int call = i;
				while (call >= 0 && kept.get(call).role() == MessageRole.TOOL) {
					call--;
				}
				assertThat(call).as(context + ": tool response %s has its call", message.id()).isNotNegative();
				int historyCall = history.indexOf(message);
				while (historyCall >= 0 && history.get(historyCall).role() == MessageRole.TOOL) {
					historyCall--;
				}
				assertThat(historyCall).as(context).isNotNegative();
				assertThat(kept.get(call)).as(context + ": %s follows its call directly", message.id())
					.isEqualTo(history.get(historyCall));
				Set<String> callIds = new HashSet<>(kept.get(call).toolCalls().stream().map(ToolCall::id).toList());
				assertThat(message.toolResponses()).as(context + ": %s has responses", message.id()).isNotEmpty();
				for (ToolResponse response : message.toolResponses()) {
					assertThat(callIds).as(context + ": response %s of %s matches a call", response.id(), message.id())
						.contains(response.id());
				}
			}
			if (!message.toolCalls().isEmpty()) {
				List<String> callIds = message.toolCalls().stream().map(ToolCall::id).toList();
				assertThat(callIds).as(context + ": call ids of %s are distinct", message.id()).doesNotHaveDuplicates();
				List<String> answered = new ArrayList<>();
				int j = i + 1;
				for (; j < kept.size() && kept.get(j).role() == MessageRole.TOOL; j++) {
					kept.get(j).toolResponses().forEach((response) -> answered.add(response.id()));
				}
				assertThat(answered).as(context + ": each call of %s answered once", message.id())
					.doesNotHaveDuplicates();
				List<StoredMessage> expected = answeringRun(history, history.indexOf(message));
				boolean inFlight = history.indexOf(message) + 1 + runLength(history, history.indexOf(message)) == history
					.size();
				if (!inFlight) {
					assertThat(answered).as(context + ": tool group of %s is whole", message.id())
						.containsExactlyInAnyOrderElementsOf(callIds);
				}
				assertThat(kept.subList(i + 1, j)).as(context + ": responses of %s", message.id())
					.containsExactlyElementsOf(expected);
			}
		}
	}

	private static int runLength(List<StoredMessage> messages, int call) {
		int end = call + 1;
		while (end < messages.size() && messages.get(end).role() == MessageRole.TOOL) {
			end++;
		}
		return end - call - 1;
	}

	/** The tool messages after a call that answer only its calls, each call once. */
	private static List<StoredMessage> answeringRun(List<StoredMessage> history, int call) {
		Set<String> callIds = new HashSet<>(history.get(call).toolCalls().stream().map(ToolCall::id).toList());
		Set<String> answered = new HashSet<>();
		List<StoredMessage> run = new ArrayList<>();
		for (int j = call + 1; j < history.size() && history.get(j).role() == MessageRole.TOOL; j++) {
			List<String> ids = history.get(j).toolResponses().stream().map(ToolResponse::id).toList();
			if (!ids.isEmpty() && callIds.containsAll(ids) && new HashSet<>(ids).size() == ids.size()
					&& ids.stream().noneMatch(answered::contains)) {
				answered.addAll(ids);
				run.add(history.get(j));
			}
		}
		return run;
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
				toolGroup(random, messages, call);
				call += 10;
			}
		}
		return messages;
	}

	/**
	 * A tool group as models and buggy clients make them: parallel calls, responses split
	 * over several tool messages in any order, and sometimes a missing response, a
	 * response to an unknown or another group's call id, a response given twice, or a
	 * call id used twice.
	 */
	private static void toolGroup(Random random, List<NewMessage> messages, int firstId) {
		int calls = 1 + random.nextInt(3);
		List<ToolCall> toolCalls = new ArrayList<>();
		List<ToolResponse> responses = new ArrayList<>();
		for (int c = 0; c < calls; c++) {
			String id = "call-" + (firstId + c);
			toolCalls.add(new ToolCall(id, "function", "f", text(random)));
			responses.add(new ToolResponse(id, "f", text(random)));
		}
		int fault = random.nextInt(12);
		switch (fault) {
			case 0 -> responses.remove(random.nextInt(responses.size()));
			case 1 -> responses.add(random.nextInt(responses.size() + 1),
					new ToolResponse("unknown-" + firstId, "f", text(random)));
			case 2 -> responses.add(random.nextInt(responses.size() + 1),
					new ToolResponse("call-" + (firstId - 10), "f", text(random)));
			case 3 -> responses.add(responses.get(random.nextInt(responses.size())));
			case 4 -> toolCalls.add(toolCalls.get(0));
			default -> {
			}
		}
		java.util.Collections.shuffle(responses, random);
		messages.add(new NewMessage(null, MessageRole.ASSISTANT, "", Map.of(), null, toolCalls, List.of()));
		// split the responses over one or more tool messages
		int from = 0;
		while (from < responses.size()) {
			int to = from + 1 + random.nextInt(responses.size() - from);
			messages.add(tool(List.copyOf(responses.subList(from, to))));
			from = to;
		}
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
