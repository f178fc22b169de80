package io.github.chatmemory.springai;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.AdvisorChain;
import org.springframework.ai.chat.client.advisor.api.BaseAdvisor;
import org.springframework.ai.chat.client.advisor.api.BaseChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.util.Assert;

/**
 * Spring AI's {@link MessageChatMemoryAdvisor}, aware of where a turn starts: when the
 * request brings a new user message, a tool call left unanswered at the end of the memory
 * (a turn that ended on a tool call limit, a {@code returnDirect} tool, or a stream
 * cancelled or failed while its tools ran) is not sent, since OpenAI-compatible APIs
 * refuse a call without its responses; within a tool loop the call in flight is sent, as
 * the tool responses that follow it need it. Use it instead of
 * {@link MessageChatMemoryAdvisor} when the memory advisor runs inside the tool loop
 * (ordered after {@code ToolCallingAdvisor}); outside the loop both behave the same.
 */
public final class StoreBackedChatMemoryAdvisor implements BaseChatMemoryAdvisor {

	private final MessageChatMemoryAdvisor toolRound;

	private final MessageChatMemoryAdvisor newTurn;

	private StoreBackedChatMemoryAdvisor(ChatMemory chatMemory, int order, Scheduler scheduler) {
		this.toolRound = MessageChatMemoryAdvisor.builder(chatMemory).order(order).scheduler(scheduler).build();
		this.newTurn = MessageChatMemoryAdvisor.builder(new WithoutUnansweredCall(chatMemory))
			.order(order)
			.scheduler(scheduler)
			.build();
	}

	/**
	 * Start building an advisor over a chat memory.
	 * @param chatMemory the chat memory
	 * @return the builder
	 */
	public static Builder builder(ChatMemory chatMemory) {
		return new Builder(chatMemory);
	}

	@Override
	public int getOrder() {
		return this.toolRound.getOrder();
	}

	@Override
	public Scheduler getScheduler() {
		return this.toolRound.getScheduler();
	}

	@Override
	public ChatClientRequest before(ChatClientRequest chatClientRequest, AdvisorChain advisorChain) {
		return delegate(chatClientRequest).before(chatClientRequest, advisorChain);
	}

	@Override
	public ChatClientResponse after(ChatClientResponse chatClientResponse, AdvisorChain advisorChain) {
		return this.toolRound.after(chatClientResponse, advisorChain);
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest chatClientRequest, CallAdvisorChain callAdvisorChain) {
		return delegate(chatClientRequest).adviseCall(chatClientRequest, callAdvisorChain);
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest chatClientRequest,
			StreamAdvisorChain streamAdvisorChain) {
		return delegate(chatClientRequest).adviseStream(chatClientRequest, streamAdvisorChain);
	}

	/** Tool responses continue a tool loop; anything else starts a turn. */
	private MessageChatMemoryAdvisor delegate(ChatClientRequest request) {
		return (request.prompt().getLastUserOrToolResponseMessage() instanceof ToolResponseMessage) ? this.toolRound
				: this.newTurn;
	}

	/**
	 * A chat memory whose messages end before a tool call that the messages after it do
	 * not answer.
	 */
	private record WithoutUnansweredCall(ChatMemory chatMemory) implements ChatMemory {

		@Override
		public void add(String conversationId, List<Message> messages) {
			this.chatMemory.add(conversationId, messages);
		}

		@Override
		public List<Message> get(String conversationId) {
			List<Message> messages = this.chatMemory.get(conversationId);
			Set<String> answered = new HashSet<>();
			for (int i = messages.size() - 1; i >= 0; i--) {
				Message message = messages.get(i);
				if (message instanceof ToolResponseMessage tool) {
					tool.getResponses().forEach((response) -> answered.add(response.id()));
					continue;
				}
				if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()
						&& !assistant.getToolCalls().stream().allMatch((call) -> answered.contains(call.id()))) {
					return messages.subList(0, i);
				}
				return messages;
			}
			return messages;
		}

		@Override
		public void clear(String conversationId) {
			this.chatMemory.clear(conversationId);
		}

	}

	/**
	 * Builds a {@link StoreBackedChatMemoryAdvisor}.
	 */
	public static final class Builder {

		private final ChatMemory chatMemory;

		private int order = Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER;

		private Scheduler scheduler = BaseAdvisor.DEFAULT_SCHEDULER;

		private Builder(ChatMemory chatMemory) {
			Assert.notNull(chatMemory, "chatMemory cannot be null");
			this.chatMemory = chatMemory;
		}

		/**
		 * Set the order; above {@code ToolCallingAdvisor.DEFAULT_ORDER} puts the memory
		 * inside the tool loop.
		 * @param order the order
		 * @return this builder
		 */
		public Builder order(int order) {
			this.order = order;
			return this;
		}

		/**
		 * Set the scheduler that streamed requests are advised on.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Build the advisor.
		 * @return the advisor
		 */
		public StoreBackedChatMemoryAdvisor build() {
			return new StoreBackedChatMemoryAdvisor(this.chatMemory, this.order, this.scheduler);
		}

	}

}
