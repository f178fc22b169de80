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
 * The window read of {@code ChatMemory.get} with a summary of everything it leaves out
 * beside the same read with summaries off: what a long conversation pays for keeping its
 * older turns in the prompt (issue 14 asks for at most 1.2 times).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SummaryWindowBenchmark {

	@Param({ Systems.THIS_IN_MEMORY, Systems.THIS_REDIS })
	public String system;

	@Param({ "1000", "100000" })
	public int history;

	@Param({ "false", "true" })
	public boolean summary;

	private ThisProjectMemory memory;

	private String conversation;

	@Setup(Level.Trial)
	public void prepare() {
		this.memory = Systems.thisProject(this.system, this.history, this.summary);
		this.conversation = "bench-" + UUID.randomUUID();
		this.memory.prepare(this.conversation, this.history);
		if (this.summary) {
			this.memory.summarizeLeftOut(this.conversation, this.history);
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.memory.close();
	}

	@Benchmark
	public int readMessageWindow() {
		return this.memory.readMessageWindow(this.conversation);
	}

}
