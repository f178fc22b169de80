package io.github.chatmemory.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private {@code redis-server} process on a free port in a temporary directory, which
 * a test can stop and start again to simulate an outage.
 */
public final class RedisServerProcess {

	private final int port;

	private final Path directory;

	private final List<String> extraArguments;

	private Process process;

	private RedisServerProcess(int port, Path directory, List<String> extraArguments) {
		this.port = port;
		this.directory = directory;
		this.extraArguments = extraArguments;
	}

	/**
	 * Whether {@code redis-server} is on the PATH.
	 * @return {@code true} if it can be started
	 */
	public static boolean isInstalled() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, "redis-server"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Start a server without persistence on a free port.
	 * @param extraArguments further {@code redis-server} arguments, such as
	 * {@code --appendonly yes}
	 * @return the running server
	 */
	public static RedisServerProcess start(String... extraArguments) {
		try {
			RedisServerProcess server = new RedisServerProcess(freePort(),
					Files.createTempDirectory("chat-memory-redis"), List.of(extraArguments));
			server.startProcess();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Start the process again after {@link #stop()}, on the same port and directory. */
	public synchronized void restart() {
		startProcess();
	}

	/**
	 * Start the process again after {@link #stop()} or {@link #kill()}, returning as soon
	 * as it answers, even if it only answers {@code LOADING} because it is still reading
	 * its data set from disk.
	 */
	public synchronized void restartWhileLoading() {
		launch();
		awaitReply(Duration.ofSeconds(10), "+PONG", "-LOADING");
	}

	/**
	 * Kill the process without letting it shut down cleanly, as a crash would: on Linux
	 * and macOS {@link Process#destroyForcibly()} sends {@code SIGKILL}.
	 */
	public synchronized void kill() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Run a {@code redis-cli} command against this server.
	 * @param arguments the command and its arguments
	 * @return what redis-cli printed
	 */
	public String cli(String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(this.port)));
		command.addAll(List.of(arguments));
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			cli.waitFor();
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Start {@code redis-cli} with a command against this server without waiting for it,
	 * for commands that block the server, such as a script that never ends.
	 * @param arguments the command and its arguments
	 * @return the running redis-cli; the caller destroys it
	 */
	public Process cliInBackground(String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(this.port)));
		command.addAll(List.of(arguments));
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Stop the process and wait for it to exit. */
	public synchronized void stop() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private synchronized void startProcess() {
		launch();
		awaitReply(Duration.ofSeconds(10), "+PONG");
	}

	private void launch() {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--dir", this.directory.toString(), "--save", "", "--appendonly", "no"));
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server", ex);
		}
	}

	private void awaitReply(Duration timeout, String... acceptedReplies) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				byte[] buffer = new byte[16];
				int read = socket.getInputStream().read(buffer);
				String reply = (read > 0) ? new String(buffer, 0, read, StandardCharsets.US_ASCII) : "";
				for (String accepted : acceptedReplies) {
					if (reply.startsWith(accepted)) {
						return;
					}
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited; see " + this.directory.resolve("redis.log"));
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		throw new IllegalStateException("redis-server did not answer PING with " + List.of(acceptedReplies)
				+ " within " + timeout);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

}
