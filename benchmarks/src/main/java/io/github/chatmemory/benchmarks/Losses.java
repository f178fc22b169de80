package io.github.chatmemory.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages lost by concurrent appenders, passed from the benchmark JVMs to the report
 * through a file named by the system property {@code bench.losses.file}.
 */
final class Losses {

	private Losses() {
	}

	static void record(String system, int history, long appended, long stored) {
		String file = System.getProperty("bench.losses.file");
		if (file == null) {
			return;
		}
		String line = system + "," + history + "," + appended + "," + stored + "\n";
		try {
			Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Read the losses: lost messages by "system,history".
	 */
	static Map<String, long[]> read(Path file) throws IOException {
		Map<String, long[]> losses = new HashMap<>();
		if (!Files.exists(file)) {
			return losses;
		}
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		for (String line : lines) {
			String[] parts = line.split(",");
			losses.put(parts[0] + "," + parts[1], new long[] { Long.parseLong(parts[2]), Long.parseLong(parts[3]) });
		}
		return losses;
	}

}
