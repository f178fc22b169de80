package io.github.chatmemory.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Redis Cluster of three masters, each a private {@code redis-server} with
 * {@code --cluster-enabled yes} on a free port, joined by {@code redis-cli --cluster create}.
 */
public final class RedisClusterProcess implements AutoCloseable {

	private final List<Process> servers = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private RedisClusterProcess() {
	}

	/**
	 * Start a cluster of three masters and wait until it serves every slot.
	 * @return the running cluster
	 */
	public static RedisClusterProcess start() {
		RedisClusterProcess cluster = new RedisClusterProcess();
		try {
			for (int i = 0; i < 3; i++) {
				cluster.startServer();
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.ports.forEach((port) -> create.add("127.0.0.1:" + port));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			run(create);
			cluster.awaitClusterOk();
			return cluster;
		}
		catch (IOException ex) {
			cluster.close();
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cluster.close();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return comma-separated host:port pairs
	 */
	public String nodes() {
		return String.join(",", this.ports.stream().map((port) -> "127.0.0.1:" + port).toList());
	}

	/**
	 * The ports of the masters.
	 * @return the ports
	 */
	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/**
	 * Run a {@code redis-cli} command against one node, such as {@code CLUSTER DELSLOTS}
	 * to take a slot out of service.
	 * @param port the node's port
	 * @param arguments the command and its arguments
	 * @return what redis-cli printed
	 */
	public String cli(int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		try {
			return run(command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void startServer() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path directory = Files.createTempDirectory("chat-memory-cluster");
		Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--dir", directory.toString(), "--save", "", "--appendonly", "no", "--cluster-enabled", "yes",
				"--cluster-config-file", directory.resolve("nodes.conf").toString(), "--cluster-node-timeout", "5000")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		this.servers.add(process);
		this.ports.add(port);
		for (int attempt = 0; attempt < 100; attempt++) {
			try {
				if (run(List.of("redis-cli", "-p", Integer.toString(port), "ping")).contains("PONG")) {
					return;
				}
			}
			catch (IOException | InterruptedException ex) {
				// not up yet
			}
			sleep();
		}
		throw new IllegalStateException("redis-server with cluster mode did not start on port " + port);
	}

	private void awaitClusterOk() throws IOException, InterruptedException {
		for (int attempt = 0; attempt < 200; attempt++) {
			boolean ok = true;
			for (int port : this.ports) {
				ok &= run(List.of("redis-cli", "-p", Integer.toString(port), "cluster", "info"))
					.contains("cluster_state:ok");
			}
			if (ok) {
				return;
			}
			sleep();
		}
		throw new IllegalStateException("The Redis Cluster did not reach cluster_state:ok");
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException("Timed out: " + command);
		}
		return output;
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		for (Process server : this.servers) {
			server.destroy();
		}
		for (Process server : this.servers) {
			try {
				server.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
