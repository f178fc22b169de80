package io.github.chatmemory.benchmarks;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-threaded workloads at a fixed history length: every system keeps exactly
 * {@code history} messages (older ones trimmed), so appends do not make the history grow
 * during a run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatMemoryBenchmark {

	@Param({ Systems.THIS_IN_MEMORY, Systems.THIS_REDIS, Systems.SPRING_AI_IN_MEMORY, Systems.SPRING_AI_REDIS,
			Systems.FLOOR })
	public String system;

	@Param({ "10", "1000", "10000", "100000" })
	public int history;

	private MemoryUnderTest memory;

	private String conversation;

	private long next;

	@Setup(Level.Trial)
	public void prepare() {
		this.memory = Systems.create(this.system, this.history);
		// a bare UUID: Spring AI's JDBC table holds conversation ids of at most 36 characters
		this.conversation = UUID.randomUUID().toString();
		this.memory.prepare(this.conversation, this.history);
		this.next = this.history;
	}

	@TearDown(Level.Trial)
	public void close() {
		this.memory.close();
	}

	@Benchmark
	public void append() {
		this.memory.append(this.conversation, Texts.message(this.next++));
	}

	@Benchmark
	public void chatTurn() {
		this.memory.chatTurn(this.conversation, Texts.message(this.next++), Texts.message(this.next++));
	}

	@Benchmark
	public int readMessageWindow() {
		return this.memory.readMessageWindow(this.conversation);
	}

	@Benchmark
	public int readTokenWindow() {
		return this.memory.readTokenWindow(this.conversation);
	}

}
