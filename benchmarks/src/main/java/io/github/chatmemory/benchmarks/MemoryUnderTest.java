package io.github.chatmemory.benchmarks;

/**
 * One system under test, doing each workload the way its users would.
 */
interface MemoryUnderTest extends AutoCloseable {

	/** Fill a conversation with {@code history} messages. */
	void prepare(String conversation, int history);

	/** Append one message. */
	void append(String conversation, String text);

	/** Read what a prompt of the newest 20 messages needs; returns how many messages came. */
	int readMessageWindow(String conversation);

	/** Read what a prompt of the newest 4,000 tokens needs; returns how many messages came. */
	int readTokenWindow(String conversation);

	/** One chat turn as MessageChatMemoryAdvisor does it: read the window, add the user message, add the answer. */
	void chatTurn(String conversation, String user, String answer);

	/** Count the messages stored in a conversation. */
	long count(String conversation);

	@Override
	void close();

}
