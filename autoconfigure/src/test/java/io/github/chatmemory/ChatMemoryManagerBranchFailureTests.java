package io.github.chatmemory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A fork takes its entry out of its source's branches only when its import certainly
 * wrote nothing, and a failure of that clean-up never hides the import's own failure.
 */
class ChatMemoryManagerBranchFailureTests {

	private final InMemoryChatMemoryStore memory = new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC());

	private final List<String> removedBranches = new ArrayList<>();

	private @Nullable Supplier<RuntimeException> importFailure;

	private @Nullable RuntimeException removeBranchFailure;

	private final ChatMemoryManager manager = ChatMemoryManager.builder(failing()).build();

	@Test
	void unavailableImportKeepsTheBranchEntry() {
		StoredMessage message = source();
		this.importFailure = () -> new ChatMemoryUnavailableException("Redis command timed out", null);
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> this.manager.forkSession("source", message.id(), null, "ada"));
		assertThat(this.removedBranches).as("branch entries removed").isEmpty();
	}

	@Test
	void refusedImportRemovesTheBranchEntryAndKeepsItsFailureWhenRemovalFails() {
		StoredMessage message = source();
		this.importFailure = () -> new SessionAlreadyExistsException("taken");
		this.removeBranchFailure = new IllegalStateException("removal failed");
		assertThatExceptionOfType(SessionAlreadyExistsException.class)
			.isThrownBy(() -> this.manager.forkSession("source", message.id(), null, "ada"))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).containsExactly(this.removeBranchFailure));
		assertThat(this.removedBranches).hasSize(1);
	}

	private StoredMessage source() {
		this.manager.createSession(new NewSession("source", "ada", null, Map.of()));
		return this.manager.appendMessage("source", NewMessage.of(MessageRole.USER, "hello"));
	}

	private ChatMemoryStore failing() {
		return (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("importSession") && this.importFailure != null) {
						throw this.importFailure.get();
					}
					if (method.getName().equals("removeBranch")) {
						this.removedBranches.add((String) arguments[1]);
						if (this.removeBranchFailure != null) {
							throw this.removeBranchFailure;
						}
					}
					try {
						return method.invoke(this.memory, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
