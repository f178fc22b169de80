package io.github.chatmemory.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the benchmarks side by side and reports them: ops/s and p99 per system and
 * workload, the ratio to Spring AI's {@code MessageWindowChatMemory} on the same store,
 * the ratio to the raw Lettuce floor, and messages lost by concurrent appenders.
 * <p>
 * {@code --quick} runs histories 10 and 1,000 with short iterations in the launching JVM
 * (to check that the benchmarks still run, in under three minutes); the default full run
 * forks a JVM per benchmark, covers histories up to 100,000 and writes
 * {@code docs/benchmarks.md}, and the JDBC rows to {@code docs/benchmarks-jdbc.md}.
 * {@code --only=main} runs only the in-memory and Redis rows, {@code --only=jdbc} only the
 * JDBC rows, each writing only its own document. Redis:
 * {@code CHAT_MEMORY_BENCH_REDIS_URL}, or a private {@code redis-server} started on a free
 * port; PostgreSQL: see {@link BenchmarkPostgres}.
 */
public final class BenchmarkMain {

	private static final List<String> WORKLOADS = List.of("append", "chatTurn", "readMessageWindow",
			"readTokenWindow");

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = List.of(args).contains("--quick");
		String only = null;
		for (String arg : args) {
			if (arg.startsWith("--only=")) {
				only = arg.substring("--only=".length());
			}
		}
		if (only != null && !only.equals("main") && !only.equals("jdbc")) {
			throw new IllegalArgumentException("--only must be 'main' (in-memory and Redis) or 'jdbc' but was '"
					+ only + "'");
		}
		if (!"main".equals(only)) {
			// first: a PostgreSQL that does not answer fails the run before minutes are spent on the rest
			BenchmarkPostgres.version();
		}
		if (!"jdbc".equals(only)) {
			runMain(args, quick);
		}
		if (!"main".equals(only)) {
			runJdbc(quick, String.join(" ", args));
		}
	}

	/**
	 * Run the JDBC rows and write their report, on their own, so that running only them
	 * leaves the other figures in place.
	 */
	private static void runJdbc(boolean quick, String arguments) throws Exception {
		Path output = Path.of(quick ? "benchmarks/target/benchmarks-jdbc-quick.md" : "docs/benchmarks-jdbc.md");
		Instant started = Instant.now();
		String loadAtStart = loadAverage();
		String postgresVersion = BenchmarkPostgres.version();
		String[] histories = quick ? new String[] { "10", "1000" } : new String[] { "10", "1000", "10000" };
		// the store-neutral benchmark, on the JDBC systems, for the workloads Spring AI's repository has
		ChainedOptionsBuilder options = new OptionsBuilder()
			.include(ChatMemoryBenchmark.class.getName() + "\\.(append|chatTurn)$")
			.param("system", Systems.THIS_JDBC, Systems.SPRING_AI_JDBC)
			.param("history", histories)
			.jvmArgsAppend("-Xmx2g")
			.shouldFailOnError(true);
		if (quick) {
			options.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(300)).measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(700));
		}
		else {
			options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
				.measurementTime(TimeValue.seconds(2));
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		String report = new JdbcReport(results, histories).render(quick, arguments, postgresVersion, loadAtStart,
				loadAverage(), Duration.between(started, Instant.now()));
		System.out.println();
		System.out.println(report);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report, StandardCharsets.UTF_8);
		System.out.println("Written to " + output);
	}

	/** The load average of the machine, where the system tells it, since other work skews a run. */
	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static void runMain(String[] args, boolean quick) throws Exception {
		Path output = Path.of(quick ? "benchmarks/target/benchmarks-quick.md" : "docs/benchmarks.md");
		for (int i = 0; i < args.length - 1; i++) {
			if ("--output".equals(args[i])) {
				output = Path.of(args[i + 1]);
			}
		}
		Instant started = Instant.now();
		try (BenchmarkRedis redis = BenchmarkRedis.start()) {
			Path losses = Files.createTempFile("chat-memory-losses", ".csv");
			String[] jvmArgs = { "-Dbench.redis.host=" + redis.host(), "-Dbench.redis.port=" + redis.port(),
					"-Dbench.losses.file=" + losses, "-Xmx2g" };
			System.setProperty("bench.redis.host", redis.host());
			System.setProperty("bench.redis.port", Integer.toString(redis.port()));
			System.setProperty("bench.losses.file", losses.toString());
			String[] histories = quick ? new String[] { "10", "1000" } : new String[] { "10", "1000", "10000", "100000" };

			ChainedOptionsBuilder single = new OptionsBuilder().include(ChatMemoryBenchmark.class.getName())
				.param("history", histories)
				.jvmArgsAppend(jvmArgs)
				.shouldFailOnError(true);
			ChainedOptionsBuilder concurrent = new OptionsBuilder()
				.include(ConcurrentAppendBenchmark.class.getName())
				.jvmArgsAppend(jvmArgs)
				.shouldFailOnError(true);
			if (quick) {
				single.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(300)).measurementIterations(1)
					.measurementTime(TimeValue.milliseconds(700));
				// Spring AI's whole-conversation rewrite makes 200 adds per thread take about a
				// minute at history 1,000 on Redis: quick mode only checks that the rows run
				concurrent.forks(0).measurementBatchSize(ConcurrentAppendBenchmark.QUICK_PER_THREAD);
			}
			else {
				single.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
					.measurementTime(TimeValue.seconds(2));
				concurrent.forks(1).param("history", "10", "1000", "10000");
			}
			Collection<RunResult> singleResults = new Runner(single.build()).run();
			Collection<RunResult> concurrentResults = new Runner(concurrent.build()).run();

			String report = report(singleResults, concurrentResults, Losses.read(losses), histories, quick, redis,
					Duration.between(started, Instant.now()));
			System.out.println();
			System.out.println(report);
			Files.createDirectories(output.toAbsolutePath().getParent());
			Files.writeString(output, report, StandardCharsets.UTF_8);
			System.out.println("Written to " + output);
		}
	}

	private static String report(Collection<RunResult> single, Collection<RunResult> concurrent,
			Map<String, long[]> losses, String[] histories, boolean quick, BenchmarkRedis redis, Duration took) {
		Map<String, Statistics> results = new LinkedHashMap<>();
		for (RunResult result : single) {
			String workload = result.getParams().getBenchmark().replaceAll(".*\\.", "");
			results.put(key(workload, result.getParams().getParam("history"), result.getParams().getParam("system")),
					result.getPrimaryResult().getStatistics());
		}
		StringBuilder out = new StringBuilder();
		out.append("# Benchmarks\n\n");
		out.append("Chat Memory for Spring AI side by side with Spring AI 2.0.1's `MessageWindowChatMemory` and with the ")
			.append("raw Lettuce floor, measured with JMH on one machine in one run")
			.append(quick ? " (**quick mode**: short iterations, no forks; for checking that the benchmarks run, "
					+ "not for conclusions)" : "")
			.append(".\n\n");
		out.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB max heap of the launcher, ")
			.append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
			.append(System.getProperty("java.version")).append(", Redis ").append(redis.version()).append(" (")
			.append(redis.description()).append(")\n");
		out.append("- Command: `./mvnw -pl benchmarks -am -DskipTests -Pbenchmarks verify")
			.append(quick ? " -Dbenchmarks.args=--quick" : " -Dbenchmarks.args=--full").append("`\n");
		out.append("- Run took ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart())
			.append(" s; finished ").append(Instant.now()).append("\n");
		out.append("- On PostgreSQL (JDBC): see [benchmarks-jdbc.md](benchmarks-jdbc.md), written by the same runs ")
			.append("and by runs of only those rows (`-Dbenchmarks.args=\"--full --only=jdbc\"`)\n\n");
		out.append("Systems: `this-in-memory` and `this-redis` are this project's `ChatMemory`; `spring-ai-in-memory` is ")
			.append("`MessageWindowChatMemory` over Spring AI's `InMemoryChatMemoryRepository`; `spring-ai-redis` is ")
			.append("`MessageWindowChatMemory` over this project's `ChatMemoryRepository` on Redis (what a Spring AI user ")
			.append("with a list-based Redis repository gets); `floor-lettuce` is raw Lettuce issuing the fewest ")
			.append("commands for the job (`XADD`, `XREVRANGE ... COUNT n`). Every system keeps exactly `history` ")
			.append("messages (max-messages or max-history set to it), so the history does not grow during a run. ")
			.append("Spring AI has no window read: its window is `get()` of the conversation, then the newest 20 ")
			.append("messages or 4,000 tokens kept in Java, as its users do. The floor's token window reads the number ")
			.append("of messages that fit, without counting tokens.\n\n");
		out.append("`ops/s` is 1 / mean time of one operation (single thread), `p99` its 99th percentile; `vs Spring AI` ")
			.append("is this system's ops/s over Spring AI's on the same store (higher is better); `vs floor` is this ")
			.append("system's mean time over the floor's (lower is better, 1.0 is the floor).\n\n");
		for (String workload : WORKLOADS) {
			out.append("## ").append(workload).append("\n\n");
			out.append("| history | system | ops/s | p99 (µs) | vs Spring AI | vs floor |\n");
			out.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
			for (String history : histories) {
				for (String system : Systems.ALL) {
					Statistics statistics = results.get(key(workload, history, system));
					if (statistics == null) {
						continue;
					}
					out.append("| ").append(history).append(" | ").append(system).append(" | ")
						.append(format(1_000_000 / statistics.getMean())).append(" | ")
						.append(format(statistics.getPercentile(99))).append(" | ")
						.append(versusSpringAi(results, workload, history, system)).append(" | ")
						.append(versusFloor(results, workload, history, system)).append(" |\n");
				}
			}
			out.append('\n');
		}
		out.append("## 8 concurrent appenders on one session\n\n");
		int perThread = quick ? ConcurrentAppendBenchmark.QUICK_PER_THREAD : ConcurrentAppendBenchmark.PER_THREAD;
		out.append("Eight threads append ").append(perThread)
			.append(" messages each to one conversation that holds `history` messages; then the stored messages are ")
			.append("counted.\n\n");
		out.append("| history | system | appends/s | appended | stored | lost |\n");
		out.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
		for (RunResult result : concurrent) {
			String system = result.getParams().getParam("system");
			String history = result.getParams().getParam("history");
			double millis = result.getPrimaryResult().getStatistics().getMean();
			long[] counts = losses.getOrDefault(system + "," + history, new long[] { 0, 0 });
			double perSecond = ConcurrentAppendBenchmark.THREADS * perThread / (millis / 1000);
			out.append("| ").append(history).append(" | ").append(system).append(" | ").append(format(perSecond))
				.append(" | ").append(counts[0]).append(" | ").append(counts[1]).append(" | ")
				.append(counts[0] - counts[1]).append(" |\n");
		}
		out.append('\n');
		out.append(goals(results, histories));
		return out.toString();
	}

	private static String goals(Map<String, Statistics> results, String[] histories) {
		StringBuilder out = new StringBuilder("## Goals\n\n");
		String largest = histories[histories.length - 1];
		for (String system : List.of(Systems.THIS_IN_MEMORY, Systems.THIS_REDIS)) {
			Statistics small = results.get(key("append", "10", system));
			Statistics large = results.get(key("append", largest, system));
			if (small != null && large != null) {
				out.append("- Append cost flat in history (").append(system).append("): mean at ").append(largest)
					.append(" is ").append(ratio(large.getMean() / small.getMean())).append(" the mean at 10 (goal: ")
					.append("within 1.3×).\n");
			}
		}
		for (String workload : List.of("append", "readMessageWindow", "readTokenWindow")) {
			for (String history : histories) {
				String versus = versusFloor(results, workload, history, Systems.THIS_REDIS);
				if (!versus.isEmpty()) {
					out.append("- Redis ").append(workload).append(" at history ").append(history).append(": ")
						.append(versus).append(" the floor's time (goal: within 1.5×).\n");
				}
			}
		}
		String turn = versusSpringAi(results, "chatTurn", "1000", Systems.THIS_REDIS);
		if (!turn.isEmpty()) {
			out.append("- One chat turn on Redis at history 1,000: ").append(turn)
				.append(" Spring AI's ops/s over the same Redis (goal: at least 5×).\n");
		}
		out.append("- Messages lost by this project under concurrent appenders: see the table above (goal: zero).\n");
		return out.toString();
	}

	private static String versusSpringAi(Map<String, Statistics> results, String workload, String history,
			String system) {
		String springAi = switch (system) {
			case Systems.THIS_IN_MEMORY -> Systems.SPRING_AI_IN_MEMORY;
			case Systems.THIS_REDIS -> Systems.SPRING_AI_REDIS;
			default -> null;
		};
		Statistics ours = results.get(key(workload, history, system));
		Statistics theirs = (springAi != null) ? results.get(key(workload, history, springAi)) : null;
		return (ours != null && theirs != null) ? ratio(theirs.getMean() / ours.getMean()) : "";
	}

	private static String versusFloor(Map<String, Statistics> results, String workload, String history, String system) {
		if (!system.contains("redis")) {
			return "";
		}
		Statistics ours = results.get(key(workload, history, system));
		Statistics floor = results.get(key(workload, history, Systems.FLOOR));
		return (ours != null && floor != null) ? ratio(ours.getMean() / floor.getMean()) : "";
	}

	private static String key(String workload, String history, String system) {
		return workload + "|" + history + "|" + system;
	}

	static String ratio(double value) {
		return String.format(Locale.ROOT, (value >= 100) ? "%.0f×" : "%.2f×", value);
	}

	static String format(double value) {
		if (value >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * The Redis the benchmarks use: {@code CHAT_MEMORY_BENCH_REDIS_URL}, or a private
	 * {@code redis-server} without persistence on a free port.
	 */
	static final class BenchmarkRedis implements AutoCloseable {

		private final String host;

		private final int port;

		private final String description;

		private final Process process;

		private BenchmarkRedis(String host, int port, String description, Process process) {
			this.host = host;
			this.port = port;
			this.description = description;
			this.process = process;
		}

		static BenchmarkRedis start() throws IOException, InterruptedException {
			String url = System.getenv("CHAT_MEMORY_BENCH_REDIS_URL");
			if (url != null && !url.isBlank()) {
				URI uri = URI.create(url.trim());
				return new BenchmarkRedis(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 6379,
						"CHAT_MEMORY_BENCH_REDIS_URL", null);
			}
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Path directory = Files.createTempDirectory("chat-memory-bench-redis");
			Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--dir", directory.toString(), "--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("redis.log").toFile())
				.start();
			BenchmarkRedis redis = new BenchmarkRedis("127.0.0.1", port, "private redis-server, no persistence",
					process);
			for (int attempt = 0; attempt < 100; attempt++) {
				try {
					redis.version();
					return redis;
				}
				catch (RuntimeException ex) {
					Thread.sleep(50);
				}
			}
			redis.close();
			throw new IllegalStateException("redis-server did not start; install it (apt-get install redis-server) "
					+ "or set CHAT_MEMORY_BENCH_REDIS_URL");
		}

		String host() {
			return this.host;
		}

		int port() {
			return this.port;
		}

		String description() {
			return this.description;
		}

		String version() {
			RedisClient client = RedisClient.create("redis://" + this.host + ":" + this.port);
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				for (String line : connection.sync().info("server").split("\r?\n")) {
					if (line.startsWith("redis_version:")) {
						return line.substring("redis_version:".length());
					}
				}
				return "unknown";
			}
			finally {
				client.shutdown();
			}
		}

		@Override
		public void close() {
			if (this.process != null) {
				this.process.destroy();
				try {
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

}
