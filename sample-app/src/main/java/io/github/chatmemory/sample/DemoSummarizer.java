package io.github.chatmemory.sample;

import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.summary.ChatMemorySummarizer;

/**
 * An offline, deterministic stand-in for a model that summarizes, so the sample shows
 * summaries with no key and no network: it keeps what the user said, in order, the first
 * line of each message, extending the previous summary; past its budget it keeps the
 * first statement (often who the user is) and the newest ones.
 */
public class DemoSummarizer implements ChatMemorySummarizer {

	/** Starts every summary, so nobody mistakes it for a real model's. */
	public static final String LABEL = "[demo summary] The user said:";

	/**
	 * Characters per token the budget assumes: fewer than English text's four or so, so
	 * that the summary stays within its tokens.
	 */
	private static final int CHARACTERS_PER_TOKEN = 3;

	private static final int MAX_STATEMENT_LENGTH = 80;

	/** Stands for the statements left out between the first and the newest. */
	private static final String GAP = "…";

	@Override
	public Summary summarize(Request request) {
		List<String> statements = new ArrayList<>();
		if (request.previousSummary() != null && request.previousSummary().startsWith(LABEL)) {
			// statements are quoted (quotes inside them are made apostrophes), or the gap
			for (String statement : request.previousSummary().substring(LABEL.length()).strip().split(" (?=[\"…])")) {
				if (statement.startsWith("\"") || statement.equals(GAP)) {
					statements.add(statement);
				}
			}
		}
		for (StoredMessage message : request.messages()) {
			if (message.role() == MessageRole.USER && !message.content().isBlank()) {
				statements.add("\"" + firstLine(message.content()) + "\"");
			}
		}
		return new Summary(fit(statements, request.maxTokens() * CHARACTERS_PER_TOKEN), "demo-summarizer");
	}

	private static String firstLine(String content) {
		// no quote and no gap mark inside a statement, so that the next run reads them apart
		String line = content.strip().lines().findFirst().orElse("").replace('"', '\'').replace(GAP, "...");
		return (line.length() > MAX_STATEMENT_LENGTH)
				? line.substring(0, MAX_STATEMENT_LENGTH).stripTrailing() + "..." : line;
	}

	/**
	 * The label, the first statement and as many of the newest as fit the budget, in
	 * order, with the gap between them marked.
	 */
	private static String fit(List<String> statements, int maxCharacters) {
		if (statements.isEmpty()) {
			return LABEL + " nothing yet.";
		}
		int budget = maxCharacters - LABEL.length() - statements.get(0).length() - 2 * (GAP.length() + 1);
		List<String> newest = new ArrayList<>();
		for (int i = statements.size() - 1; i > 0 && budget >= statements.get(i).length() + 1; i--) {
			budget -= statements.get(i).length() + 1;
			newest.add(0, statements.get(i));
		}
		List<String> kept = new ArrayList<>();
		kept.add(statements.get(0));
		if (newest.size() < statements.size() - 1) {
			kept.add(GAP);
		}
		for (String statement : newest) {
			if (!(statement.equals(GAP) && kept.get(kept.size() - 1).equals(GAP))) {
				kept.add(statement);
			}
		}
		return LABEL + " " + String.join(" ", kept);
	}

}
