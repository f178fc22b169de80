package io.github.chatmemory.benchmarks;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Eight threads append {@value #PER_THREAD} messages each to one conversation; afterwards
 * the stored messages are counted, so messages lost to concurrent writers show.
 * <p>
 * Quick mode appends {@value #QUICK_PER_THREAD} messages per thread: Spring AI's
 * {@code MessageWindowChatMemory} reads and rewrites the whole conversation on every add,
 * so at history 1,000 on Redis each add rewrites about a thousand messages in one script
 * that Redis runs alone (about 40 ms under eight writers), and the full 1,600 adds take
 * about a minute by design, far more than quick mode's budget of three minutes for every
 * benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(ConcurrentAppendBenchmark.THREADS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = ConcurrentAppendBenchmark.PER_THREAD)
public class ConcurrentAppendBenchmark {

	static final int THREADS = 8;

	static final int PER_THREAD = 200;

	/** Appends per thread in quick mode, which checks that the benchmark runs. */
	static final int QUICK_PER_THREAD = 25;

	@Param({ Systems.THIS_IN_MEMORY, Systems.THIS_REDIS, Systems.SPRING_AI_IN_MEMORY, Systems.SPRING_AI_REDIS,
			Systems.FLOOR })
	public String system;

	@Param({ "10", "1000" })
	public int history;

	private MemoryUnderTest memory;

	private String conversation;

	private final AtomicLong appended = new AtomicLong();

	@Setup(Level.Iteration)
	public void prepare() {
		this.memory = Systems.create(this.system, 0);
		this.conversation = "bench-" + UUID.randomUUID();
		this.memory.prepare(this.conversation, this.history);
		this.appended.set(0);
	}

	@TearDown(Level.Iteration)
	public void countLosses() {
		long stored = this.memory.count(this.conversation);
		Losses.record(this.system, this.history, this.appended.get(), stored - this.history);
		this.memory.close();
	}

	@Benchmark
	public void append() {
		this.memory.append(this.conversation, Texts.message(this.history + this.appended.incrementAndGet()));
	}

}
