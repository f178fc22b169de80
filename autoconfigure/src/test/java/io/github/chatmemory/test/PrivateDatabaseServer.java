package io.github.chatmemory.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private database server process on a free port with its data under
 * {@code target/private-databases}, which a failure test can stop, kill, pause and start
 * again without touching the shared servers of the machine.
 */
public abstract class PrivateDatabaseServer implements AutoCloseable {

	/** How long a start may take before the test fails; a start takes well under a second here. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final String name;

	private final Path directory;

	private final int port;

	private Process process;

	protected PrivateDatabaseServer(String name) {
		this.name = name;
		try {
			Path parent = Files.createDirectories(Path.of("target", "private-databases").toAbsolutePath());
			this.directory = Files.createDirectory(parent.resolve(name + "-" + UUID.randomUUID()));
			this.port = freePort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare a directory for a private " + name, ex);
		}
	}

	/**
	 * The JDBC URL of the server's database, without driver options.
	 * @return the URL
	 */
	public abstract String jdbcUrl();

	/**
	 * The user that may do anything in the server's database, with an empty password.
	 * @return the user name
	 */
	public abstract String username();

	public int port() {
		return this.port;
	}

	/**
	 * Where the server keeps its data and log.
	 * @return the directory, removed by {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Start the server (after {@link #stop()} or {@link #kill()}, on the same port and
	 * data) and wait until it answers a query.
	 */
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException("The private " + this.name + " is already running");
		}
		try {
			this.process = new ProcessBuilder(serverCommand()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the private " + this.name + " (" + serverCommand() + ")",
					ex);
		}
		awaitQuery();
	}

	/** Start the server again, keeping its data, as an operator's restart would. */
	public synchronized void restart() {
		stop();
		start();
	}

	/** Shut the server down cleanly, closing its connections, and wait for it to exit. */
	public synchronized void stop() {
		if (this.process != null && this.process.isAlive()) {
			List<ProcessHandle> tree = processTree();
			signal(cleanShutdownSignal(), List.of(this.process.toHandle()));
			awaitExit(tree);
		}
	}

	/**
	 * Kill the server and every process it started with {@code SIGKILL}, as a crash would,
	 * in the middle of whatever it was doing; its connections reset.
	 */
	public synchronized void kill() {
		if (this.process != null && this.process.isAlive()) {
			List<ProcessHandle> tree = processTree();
			signal("KILL", tree);
			awaitExit(tree);
		}
	}

	/**
	 * Stop the server and every process it started with {@code SIGSTOP}: its sockets stay
	 * open and accept connections, but nothing answers, as a hung server or a network
	 * partition would; only timeouts end what clients send it.
	 */
	public synchronized void pause() {
		requireRunning();
		signal("STOP", processTree());
	}

	/** Let a {@linkplain #pause() paused} server go on. */
	public synchronized void resume() {
		requireRunning();
		signal("CONT", processTree());
	}

	/**
	 * Open a connection that gives up after a second when the server does not answer.
	 * @return a new connection; the caller closes it
	 * @throws SQLException if the server cannot be reached
	 */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl() + timeoutOptions(Duration.ofSeconds(1), Duration.ofSeconds(5)),
				connectionProperties());
	}

	/**
	 * Driver options, to append to {@link #jdbcUrl()}, that bound connecting and every
	 * socket read: a paused server never answers, so only these end a call to it.
	 * @param connectTimeout how long connecting may take
	 * @param socketTimeout how long a read may wait for the server
	 * @return the options, starting with {@code ?}
	 */
	public abstract String timeoutOptions(Duration connectTimeout, Duration socketTimeout);

	/** Kill the server if it still runs and delete everything it wrote. */
	@Override
	public synchronized void close() {
		if (this.process != null && this.process.isAlive()) {
			resume();
			kill();
		}
		cleanUp();
		if (!Files.exists(this.directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The command that runs the server in the foreground on {@link #port()}.
	 * @return the command and its arguments
	 */
	protected abstract List<String> serverCommand();

	/**
	 * The signal that shuts the server down cleanly without waiting for its clients.
	 * @return the signal name, as {@code kill -s} takes it
	 */
	protected abstract String cleanShutdownSignal();

	/**
	 * Prepare the database once the server answers for the first time.
	 * @param statement a statement on a connection to the server
	 * @throws SQLException if the preparation fails
	 */
	protected void prepare(Statement statement) throws SQLException {
	}

	/**
	 * The URL to reach the server before {@link #prepare(Statement)} ran.
	 * @return the URL
	 */
	protected String serverUrl() {
		return jdbcUrl();
	}

	/** Remove what the server made outside {@link #directory()}. */
	protected void cleanUp() {
	}

	protected Properties connectionProperties() {
		Properties properties = new Properties();
		properties.setProperty("user", username());
		properties.setProperty("password", "");
		return properties;
	}

	protected Path log() {
		return this.directory.resolve("server.log");
	}

	/**
	 * Run a command to completion, failing with its output if it fails.
	 * @param what what the command does, for the failure message
	 * @param command the command
	 */
	protected void run(String what, List<String> command) {
		try {
			Process setup = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (setup.waitFor() != 0) {
				throw new IllegalStateException("Could not " + what + " for a private " + this.name + ": " + command
						+ " said:\n" + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not " + what + " for a private " + this.name + ": " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Find an executable on the {@code PATH} or in the given directories.
	 * @param executable the file name
	 * @param installHint how to install it, for the failure message
	 * @param candidates further directories to look in, as glob-free paths
	 * @return the executable's path
	 * @throws IllegalStateException naming the executable and how to install it if it is
	 * missing
	 */
	protected static String executable(String executable, String installHint, List<Path> candidates) {
		List<Path> directories = new ArrayList<>();
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			directories.add(Path.of(dir));
		}
		directories.addAll(candidates);
		for (Path dir : directories) {
			Path file = dir.resolve(executable);
			if (Files.isExecutable(file)) {
				return file.toString();
			}
		}
		throw new IllegalStateException(executable + " was not found on the PATH or in " + candidates
				+ ", so the failure tests cannot start a private database server: " + installHint);
	}

	/**
	 * Whether this JVM runs as root, where database servers refuse to run and must be
	 * started as their own user.
	 * @return {@code true} for root
	 */
	protected static boolean runningAsRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private void awaitQuery() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		boolean prepared = false;
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The private " + this.name + " exited with " + this.process.exitValue()
						+ " while starting:\n" + tail(log()));
			}
			String url = (prepared ? jdbcUrl() : serverUrl())
					+ timeoutOptions(Duration.ofSeconds(1), Duration.ofSeconds(5));
			try (Connection connection = DriverManager.getConnection(url, connectionProperties());
					Statement statement = connection.createStatement()) {
				if (!prepared) {
					prepare(statement);
					prepared = true;
					continue;
				}
				statement.execute("SELECT 1");
				return;
			}
			catch (SQLException ex) {
				// not accepting connections yet
				last = ex;
			}
			sleep(Duration.ofMillis(50));
		}
		throw new IllegalStateException("The private " + this.name + " did not answer a query within " + START_TIMEOUT
				+ " (last error: " + last + "):\n" + tail(log()));
	}

	/**
	 * Wait for the server and the processes it had started (PostgreSQL's backends), so a
	 * start that follows finds the port and the shared memory free. Polls, because
	 * {@link ProcessHandle#onExit()} polls slowly for processes that are not this JVM's
	 * children.
	 */
	private void awaitExit(List<ProcessHandle> tree) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The private " + this.name + " did not exit within " + START_TIMEOUT);
			}
			sleep(Duration.ofMillis(10));
		}
	}

	private List<ProcessHandle> processTree() {
		List<ProcessHandle> tree = new ArrayList<>();
		tree.add(this.process.toHandle());
		this.process.descendants().forEach(tree::add);
		return tree;
	}

	private void requireRunning() {
		if (this.process == null || !this.process.isAlive()) {
			throw new IllegalStateException("The private " + this.name + " is not running");
		}
	}

	/**
	 * Signal the server first, which must work, then the processes it had started, which
	 * may have ended meanwhile (PostgreSQL's backends come and go with connections).
	 */
	private void signal(String signal, List<ProcessHandle> processes) {
		run("send SIG" + signal, List.of("kill", "-s", signal, Long.toString(processes.get(0).pid())));
		if (processes.size() > 1) {
			List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
			processes.subList(1, processes.size()).forEach((handle) -> command.add(Long.toString(handle.pid())));
			try {
				new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start()
					.waitFor();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no log at " + log + ")";
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

}
