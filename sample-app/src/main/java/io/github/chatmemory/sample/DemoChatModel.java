package io.github.chatmemory.sample;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An offline, deterministic stand-in for a real model, so the sample runs with no key and
 * no network. It only shows memory at work: it answers from what the prompt carries,
 * which is what the chat memory put there.
 */
public class DemoChatModel implements ChatModel {

	/** Marks every answer, so nobody mistakes the demo for a real model. */
	public static final String LABEL = "[demo model] ";

	private static final Pattern NAME_STATEMENT = Pattern.compile("(?i)\\bmy name is\\s+([\\p{L}][\\p{L}'-]*)");

	private static final Pattern NAME_QUESTION = Pattern.compile("(?i)\\bwhat(?:'s| is) my name\\b");

	@Override
	public ChatResponse call(Prompt prompt) {
		List<Message> userMessages = prompt.getInstructions()
			.stream()
			.filter((message) -> message.getMessageType() == MessageType.USER)
			.toList();
		String latest = userMessages.isEmpty() ? "" : userMessages.get(userMessages.size() - 1).getText();
		return new ChatResponse(List.of(new Generation(new AssistantMessage(LABEL + answer(latest, userMessages)))));
	}

	private String answer(String latest, List<Message> userMessages) {
		Matcher statement = NAME_STATEMENT.matcher(latest);
		if (statement.find()) {
			return "Nice to meet you, " + statement.group(1) + "!";
		}
		if (NAME_QUESTION.matcher(latest).find()) {
			for (int i = userMessages.size() - 2; i >= 0; i--) {
				Matcher earlier = NAME_STATEMENT.matcher(userMessages.get(i).getText());
				if (earlier.find()) {
					return "Your name is " + earlier.group(1) + ".";
				}
			}
			return "I don't know your name yet. Tell me with \"my name is ...\".";
		}
		int remembered = userMessages.size() - 1;
		return "You said \"" + latest.trim() + "\". I remember " + remembered + " earlier message"
				+ ((remembered == 1) ? "" : "s") + " of yours in this conversation"
				+ (latest.toLowerCase(Locale.ROOT).contains("?") ? "; a real model would answer the question." : ".");
	}

}
