package io.github.chatmemory.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server with trust authentication for user {@code postgres} on its
 * database {@code postgres}, its data made by {@code initdb} under
 * {@code target/private-databases}; as root it runs as the {@code postgres} system user,
 * since PostgreSQL refuses to run as root.
 */
public final class PrivatePostgres extends PrivateDatabaseServer {

	private static final String INSTALL_HINT = "install PostgreSQL (e.g. apt-get install postgresql)";

	private final Path binaries;

	private PrivatePostgres() {
		super("postgres");
		this.binaries = Path.of(executable("initdb", INSTALL_HINT, installedVersions())).getParent();
		if (runningAsRoot()) {
			handOverToPostgresUser();
		}
		run("create a data directory", asServerUser(List.of(this.binaries.resolve("initdb").toString(), "--pgdata="
				+ data(), "--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions")));
	}

	/**
	 * Create a server and start it.
	 * @return the running server; the caller {@linkplain #close() closes} it
	 */
	public static PrivatePostgres launch() {
		PrivatePostgres server = new PrivatePostgres();
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
		return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
	}

	@Override
	public String username() {
		return "postgres";
	}

	@Override
	public String timeoutOptions(Duration connectTimeout, Duration socketTimeout) {
		// the driver counts in seconds; a statement's query timeout sends a cancel request on
		// a new connection and waits for it as long as cancelSignalTimeout (10 s by
		// default), which a hung server never answers
		long connect = Math.max(1, connectTimeout.toSeconds());
		return "?connectTimeout=" + connect + "&cancelSignalTimeout=" + connect + "&socketTimeout="
				+ Math.max(1, socketTimeout.toSeconds());
	}

	@Override
	protected List<String> serverCommand() {
		// no Unix socket: a path under target/ may be too long for one, and tests use TCP
		return asServerUser(List.of(this.binaries.resolve("postgres").toString(), "-D", data().toString(), "-p",
				Integer.toString(port()), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c",
				"fsync=off", "-c", "shared_buffers=16MB", "-c", "max_connections=200"));
	}

	@Override
	protected String cleanShutdownSignal() {
		// SIGINT is PostgreSQL's fast shutdown: SIGTERM would wait for every client to leave
		return "INT";
	}

	private Path data() {
		return directory().resolve("data");
	}

	/**
	 * Run as the {@code postgres} user when this JVM is root; {@code setpriv} replaces
	 * itself with the command, so the process the test holds is the server itself.
	 */
	private static List<String> asServerUser(List<String> command) {
		if (!runningAsRoot()) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(
				List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
		wrapped.addAll(command);
		return wrapped;
	}

	private void handOverToPostgresUser() {
		try {
			UserPrincipal postgres = directory().getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("postgres");
			Files.setOwner(directory(), postgres);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("This JVM runs as root, where PostgreSQL refuses to run, and no system user "
					+ "postgres could own " + directory() + "; " + INSTALL_HINT + " or run the tests as another user", ex);
		}
	}

	/** Debian and Ubuntu keep the server's binaries off the PATH, one directory per major version. */
	private static List<Path> installedVersions() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return List.of();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.sorted(Comparator.reverseOrder()).map((version) -> version.resolve("bin")).toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

}
