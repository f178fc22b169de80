package io.github.chatmemory.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Writes the report of the JDBC rows ({@link ChatMemoryBenchmark}'s append and chat turn on the JDBC systems), a document of its own so
 * that a run of only these rows leaves the other figures as they are.
 */
final class JdbcReport {

	private static final List<String> WORKLOADS = List.of("append", "chatTurn");

	private final Map<String, Statistics> results = new LinkedHashMap<>();

	private final String[] histories;

	JdbcReport(Collection<RunResult> runs, String[] histories) {
		for (RunResult run : runs) {
			String workload = run.getParams().getBenchmark().replaceAll(".*\\.", "");
			this.results.put(key(workload, run.getParams().getParam("history"), run.getParams().getParam("system")),
					run.getPrimaryResult().getStatistics());
		}
		this.histories = histories;
	}

	/**
	 * Render the report.
	 * @param quick whether the run was a quick one
	 * @param arguments the arguments the run was given
	 * @param postgresVersion the server's version
	 * @param loadAtStart the load average when the run started
	 * @param loadAtEnd the load average when it ended
	 * @param took how long the run took
	 * @return the Markdown text
	 */
	String render(boolean quick, String arguments, String postgresVersion, String loadAtStart, String loadAtEnd,
			Duration took) {
		StringBuilder out = new StringBuilder();
		out.append("# Benchmarks on PostgreSQL (JDBC)\n\n");
		out.append("This project's `ChatMemory` on its JDBC store side by side with Spring AI's ")
			.append("`MessageWindowChatMemory` over Spring AI's `JdbcChatMemoryRepository`, on the same PostgreSQL, ")
			.append("measured with JMH on one machine in one run")
			.append(quick ? " (**quick mode**: short iterations, no forks; for checking that the benchmarks run, "
					+ "not for conclusions; histories 10 and 1,000 only)" : "")
			.append(". The other stores are in [benchmarks.md](benchmarks.md).\n\n");
		out.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
			.append(System.getProperty("java.version")).append(", PostgreSQL ").append(postgresVersion)
			.append(" (").append(BenchmarkPostgres.url()).append(", loopback, the machine's own server)\n");
		out.append("- Load average (1, 5, 15 min) at start: ").append(loadAtStart).append("; at end: ")
			.append(loadAtEnd).append('\n');
		out.append("- Command: `./mvnw -pl benchmarks -am -DskipTests -Pbenchmarks verify -Dbenchmarks.args=\"")
			.append(arguments).append("\"`\n");
		out.append("- Run took ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart())
			.append(" s; finished ").append(Instant.now()).append("\n\n");
		out.append("Systems: `this-jdbc` is this project's `ChatMemory` on its JDBC store; `spring-ai-jdbc` is ")
			.append("`MessageWindowChatMemory` over Spring AI's `JdbcChatMemoryRepository` 2.0.0 (the newest that ")
			.append("resolves here; it runs on Spring AI 2.0.1's `spring-ai-model`) with its own PostgreSQL script. ")
			.append("Each system works in a schema of its own (`bench_<random>`, created and dropped by the run, ")
			.append("as Spring AI's table name is fixed) through a HikariCP pool of 4 connections. As in the other ")
			.append("report, every system keeps exactly `history` messages (this project's `max-history`, Spring AI's ")
			.append("max-messages), so the history does not grow during a run. Spring AI's `add` reads the whole ")
			.append("conversation, deletes it and inserts it again; this project's append is one short transaction ")
			.append("that never reads the history (here it also trims the oldest message, to keep the history ")
			.append("fixed). A chat turn is what `MessageChatMemoryAdvisor` does: `get`, `add` the user ")
			.append("message, `add` the answer.\n\n");
		out.append("`ops/s` is 1 / mean time of one operation (single thread), `p99` its 99th percentile, `samples` ")
			.append("the operations measured (Spring AI's slow rows have few, so their p99 is close to their maximum); ")
			.append("`vs Spring AI` is this project's ops/s over Spring AI's at the same history (higher is better).\n\n");
		for (String workload : WORKLOADS) {
			out.append("## ").append(workload).append("\n\n");
			out.append("| history | system | ops/s | p99 (µs) | samples | vs Spring AI |\n");
			out.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
			for (String history : this.histories) {
				for (String system : Systems.JDBC) {
					Statistics statistics = this.results.get(key(workload, history, system));
					if (statistics == null) {
						continue;
					}
					out.append("| ").append(history).append(" | ").append(system).append(" | ")
						.append(BenchmarkMain.format(1_000_000 / statistics.getMean())).append(" | ")
						.append(BenchmarkMain.format(statistics.getPercentile(99))).append(" | ")
						.append(statistics.getN()).append(" | ")
						.append(Systems.THIS_JDBC.equals(system) ? versusSpringAi(workload, history) : "")
						.append(" |\n");
				}
			}
			out.append('\n');
		}
		out.append(goals());
		return out.toString();
	}

	private String goals() {
		StringBuilder out = new StringBuilder("## Goals\n\n");
		String largest = this.histories[this.histories.length - 1];
		Statistics small = this.results.get(key("append", "10", Systems.THIS_JDBC));
		Statistics large = this.results.get(key("append", largest, Systems.THIS_JDBC));
		if (small != null && large != null) {
			out.append("- Append cost flat in history (this-jdbc): mean at ").append(largest).append(" is ")
				.append(BenchmarkMain.ratio(large.getMean() / small.getMean()))
				.append(" the mean at 10 (goal: within 1.2×).\n");
		}
		String turn = versusSpringAi("chatTurn", "1000");
		if (!turn.isEmpty()) {
			out.append("- One chat turn at history 1,000: ").append(turn)
				.append(" Spring AI's ops/s on the same PostgreSQL (goal: at least 10×).\n");
		}
		return out.toString();
	}

	private String versusSpringAi(String workload, String history) {
		Statistics ours = this.results.get(key(workload, history, Systems.THIS_JDBC));
		Statistics theirs = this.results.get(key(workload, history, Systems.SPRING_AI_JDBC));
		return (ours != null && theirs != null) ? BenchmarkMain.ratio(theirs.getMean() / ours.getMean()) : "";
	}

	private static String key(String workload, String history, String system) {
		return workload + "|" + history + "|" + system;
	}

}
