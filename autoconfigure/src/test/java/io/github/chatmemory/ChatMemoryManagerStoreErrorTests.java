package io.github.chatmemory;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.transfer.ImportOptions;
import io.github.chatmemory.transfer.SessionTransfer;
import io.github.chatmemory.window.WindowPolicy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@link NumberFormatException} from a store (corrupted stored data) is an
 * {@link IllegalArgumentException} too, yet it must never pass for bad input, which the
 * REST layer would answer with 400.
 */
class ChatMemoryManagerStoreErrorTests {

	private final ChatMemoryStore corrupted = (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
				throw new NumberFormatException("For input string: \"garbage\"");
			});

	private final ChatMemoryManager manager = ChatMemoryManager.builder(this.corrupted).build();

	private final SessionTransfer transfer = new SessionTransfer(this.manager, 1 << 20, java.time.Clock.systemUTC());

	@Test
	void storeNumberFormatExceptionsPassThroughUnchanged() {
		Map<String, ThrowingCallable> calls = new java.util.LinkedHashMap<>();
		calls.put("createSession", () -> this.manager.createSession(NewSession.forUser("ada", "t")));
		calls.put("getSession", () -> this.manager.getSession("s-1"));
		calls.put("listSessions", () -> this.manager.listSessions("ada", 0, 10));
		calls.put("renameSession", () -> this.manager.renameSession("s-1", "t"));
		calls.put("appendMessage", () -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hi")));
		calls.put("replaceMessages",
				() -> this.manager.replaceMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "hi"))));
		calls.put("getRecentMessages", () -> this.manager.getRecentMessages("s-1", 10));
		calls.put("getAllMessages", () -> this.manager.getAllMessages("s-1"));
		calls.put("getContextWindow", () -> this.manager.getContextWindow("s-1", WindowPolicy.ofMessages(5)));
		calls.put("searchSession", () -> this.manager.searchSession("s-1", "x", 0, 10));
		calls.put("searchUserSessions", () -> this.manager.searchUserSessions("ada", "x", 0, 10));
		calls.put("exportSession", () -> this.manager.exportSession("s-1"));
		calls.put("exportJson", () -> this.transfer.exportJson("s-1"));
		calls.put("importJson", () -> this.transfer.importJson("{\"format\":\"chat-memory-session\",\"version\":1,"
				+ "\"session\":{\"id\":\"s-1\",\"active\":true,\"created_at\":\"2026-01-01T00:00:00Z\","
				+ "\"updated_at\":\"2026-01-01T00:00:00Z\"},\"messages\":[]}", ImportOptions.keepId()));
		calls.put("clearMessages", () -> this.manager.clearMessages("s-1"));
		calls.put("deleteSession", () -> this.manager.deleteSession("s-1"));
		calls.put("getStatistics", this.manager::getStatistics);
		calls.put("cleanupOlderThan", () -> this.manager.cleanupOlderThan(Duration.ofDays(1)));
		calls.forEach((name, call) -> assertThatExceptionOfType(NumberFormatException.class).as(name)
			.isThrownBy(call)
			.isExactlyInstanceOf(NumberFormatException.class));
	}

}
