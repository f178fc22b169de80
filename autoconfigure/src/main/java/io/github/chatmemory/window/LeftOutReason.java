package io.github.chatmemory.window;

/**
 * Why a message of the session is not in the context window.
 */
public enum LeftOutReason {

	/** Older than what the message limit allows. */
	MESSAGE_LIMIT,

	/** Older than what the token budget allows. */
	TOKEN_BUDGET,

	/** Larger on its own than the whole token budget; dropped, never truncated. */
	OVERSIZED,

	/**
	 * A tool response message whose call is not in the assistant message before its run
	 * of tool messages, or that answers a call already answered.
	 */
	ORPHAN_TOOL_RESPONSE,

	/** An assistant tool call without a response for every call, with its responses. */
	INCOMPLETE_TOOL_GROUP,

	/** A system message replaced by a newer one, which is pinned instead. */
	SUPERSEDED_SYSTEM_MESSAGE,

	/**
	 * Covered by the summary in the window, which stands in for it: the summary's range
	 * and everything older.
	 */
	COVERED_BY_SUMMARY,

	/** Before the first user message of the window, when the window must start on one. */
	BEFORE_FIRST_USER_MESSAGE,

	/**
	 * Not read: the walk had passed over more left-out messages (superseded system
	 * messages, orphan tool responses) than it kept plus a fixed allowance, and stopped
	 * there so that its cost stays bounded.
	 */
	LOOK_BACK_LIMIT

}
