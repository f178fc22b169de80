package io.github.chatmemory.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private MariaDB server ({@code mariadbd}) with a database {@code test} and user
 * {@code root} without password, its data made by {@code mariadb-install-db} under
 * {@code target/private-databases}.
 */
public final class PrivateMariaDb extends PrivateDatabaseServer {

	private static final String INSTALL_HINT = "install MariaDB (e.g. apt-get install mariadb-server)";

	private final String server;

	/** The socket lives in the temporary directory: a path under target/ may be too long for a socket. */
	private final Path socket;

	private PrivateMariaDb() {
		super("mariadb");
		this.server = executable("mariadbd", INSTALL_HINT, List.of(Path.of("/usr/sbin"), Path.of("/usr/libexec")));
		this.socket = Path.of(System.getProperty("java.io.tmpdir"), "chat-memory-mariadb-" + port() + ".sock");
		List<String> install = new ArrayList<>(List.of(executable("mariadb-install-db", INSTALL_HINT, List.of()),
				"--no-defaults", "--datadir=" + data(), "--auth-root-authentication-method=normal", "--skip-test-db"));
		install.addAll(innoDbOptions());
		if (runningAsRoot()) {
			install.add("--user=root");
		}
		run("create a data directory", install);
	}

	/**
	 * Create a server and start it.
	 * @return the running server; the caller {@linkplain #close() closes} it
	 */
	public static PrivateMariaDb launch() {
		PrivateMariaDb server = new PrivateMariaDb();
		try {
			server.start();
			return server;
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	@Override
	public String jdbcUrl() {
		return serverUrl() + "test";
	}

	@Override
	public String username() {
		return "root";
	}

	@Override
	public String timeoutOptions(Duration connectTimeout, Duration socketTimeout) {
		return "?connectTimeout=" + connectTimeout.toMillis() + "&socketTimeout=" + socketTimeout.toMillis();
	}

	@Override
	protected String serverUrl() {
		return "jdbc:mariadb://127.0.0.1:" + port() + "/";
	}

	@Override
	protected void prepare(Statement statement) throws SQLException {
		statement.execute("CREATE DATABASE IF NOT EXISTS test");
	}

	@Override
	protected List<String> serverCommand() {
		List<String> command = new ArrayList<>(List.of(this.server, "--no-defaults", "--datadir=" + data(),
				"--port=" + port(), "--bind-address=127.0.0.1", "--socket=" + this.socket,
				"--pid-file=" + directory().resolve("mariadbd.pid"), "--skip-name-resolve", "--max-connections=200"));
		command.addAll(innoDbOptions());
		if (runningAsRoot()) {
			command.add("--user=root");
		}
		return command;
	}

	@Override
	protected String cleanShutdownSignal() {
		return "TERM";
	}

	@Override
	protected void cleanUp() {
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			// the server removes it itself on a clean stop; a leftover socket file is harmless
		}
	}

	private Path data() {
		return directory().resolve("data");
	}

	/**
	 * Small files and memory so that a server starts in a fraction of a second; commits
	 * reach the operating system at once, so they survive a {@code SIGKILL} of the server
	 * (not a crash of the machine, which no test provokes).
	 */
	private static List<String> innoDbOptions() {
		return List.of("--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M",
				"--innodb-flush-log-at-trx-commit=2");
	}

}
