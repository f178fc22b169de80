package io.github.chatmemory.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follows the README's "Use it" section literally: runs its
 * {@code ./mvnw install -DskipTests} in a copy of this repository, then builds a new
 * project of exactly its dependencies and its class, and starts it twice, with the
 * in-memory store and with README's Redis ({@code spring.data.redis.*}, a private
 * {@code redis-server}), each with a chat turn that needs memory. Both builds install
 * into a Maven repository under target/ chained onto the local repository with Maven
 * 3.9's {@code maven.repo.local.tail}, which is read only: nothing is written into
 * {@code ~/.m2}. Not offline: what the local repository lacks on a fresh machine (such
 * as the install plugin, which {@code verify} never needs) comes from Maven Central, as
 * it would for a reader, into the repository under target/.
 */
class ReadmeUseItIT {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final Path WORK = Path.of("target", "readme-use-it").toAbsolutePath();

	@Test
	void newProjectBuiltAsTheReadmeSaysStartsInMemoryAndOnRedis() throws Exception {
		String useIt = section(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8), "## Use it");
		String dependencies = block(useIt, "xml");
		String assistant = block(useIt, "java");
		assertThat(dependencies).doesNotContain("<type>");
		String installCommand = group(useIt, "`(\\./mvnw install[^`]*)`");
		String version = group(dependencies,
				"<artifactId>chat-memory-spring-boot-starter</artifactId>\\s*<version>([^<]+)</version>");
		String rootPom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
		assertThat(rootPom).contains("<version>" + version + "</version>");

		FileSystemUtils.deleteRecursively(WORK);
		List<String> repositories = List.of("-B", "-Dmaven.repo.local=" + WORK.resolve("repository"),
				"-Dmaven.repo.local.tail=" + System.getProperty("readme.local.repository",
						Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));

		// README: "build them into your local Maven repository first, from a clone of this
		// repository, with ./mvnw install -DskipTests"
		Path clone = copySources(WORK.resolve("clone"));
		List<String> install = new ArrayList<>(List.of(installCommand.split(" ")));
		install.set(0, clone.resolve("mvnw").toString());
		install.addAll(repositories);
		String installOutput = run(install, clone, WORK.resolve("install.log"));
		assertThat(installOutput).contains("BUILD SUCCESS", "Installing ");
		// into the repository under target/ only: the local repository is the read-only tail
		assertThat(Pattern.compile("Installing \\S+ to (\\S+)").matcher(installOutput).results())
			.allSatisfy((installed) -> assertThat(installed.group(1)).startsWith(WORK.resolve("repository").toString()));

		// a new project: README's dependencies and class, a chat model, and two starts
		Path app = WORK.resolve("app");
		write(app.resolve("pom.xml"), pom(dependencies, group(rootPom, "<spring-boot.version>([^<]+)<"),
				group(rootPom, "<spring-ai.version>([^<]+)<")));
		write(app.resolve("src/main/java/com/example/Assistant.java"), "package com.example;\n\n" + assistant);
		write(app.resolve("src/main/java/com/example/ReadmeApplication.java"), APPLICATION);
		write(app.resolve("src/test/java/com/example/InMemoryReadmeApplicationTests.java"), IN_MEMORY_TESTS);
		write(app.resolve("src/test/java/com/example/RedisReadmeApplicationTests.java"), REDIS_TESTS);
		assertThat(RedisServerProcess.isInstalled()).as("redis-server on the PATH (apt-get install redis-server)")
			.isTrue();
		RedisServerProcess redis = RedisServerProcess.start();
		try {
			String keyPrefix = "readme-" + UUID.randomUUID() + ":";
			List<String> test = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-f",
					app.resolve("pom.xml").toString(), "test", "-Dreadme.redis.host=127.0.0.1",
					"-Dreadme.redis.port=" + redis.port(), "-Dreadme.redis.key-prefix=" + keyPrefix));
			test.addAll(repositories);
			String output = run(test, app, WORK.resolve("app.log"));
			assertThat(output).contains("Tests run: 2, Failures: 0, Errors: 0", "Chat memory store: in-memory",
					"Chat memory store: redis");
			assertThat(redis.cli("--scan", "--pattern", keyPrefix + "*"))
				.as("conversations kept in the private Redis")
				.contains(keyPrefix);
		}
		finally {
			redis.stop();
		}
	}

	/** A clone of this repository: its sources without build output. */
	private static Path copySources(Path target) throws IOException {
		try (Stream<Path> files = Files.walk(ROOT)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path relative = ROOT.relativize(file);
				boolean buildOutput = false;
				for (Path segment : relative) {
					buildOutput |= segment.toString().equals("target") || segment.toString().equals(".git");
				}
				if (!buildOutput && Files.isRegularFile(file)) {
					Path copy = target.resolve(relative.toString());
					Files.createDirectories(copy.getParent());
					Files.copy(file, copy);
				}
			}
		}
		assertThat(target.resolve("mvnw").toFile().setExecutable(true)).isTrue();
		return target;
	}

	private static String run(List<String> command, Path directory, Path log) throws Exception {
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean finished = process.waitFor(10, TimeUnit.MINUTES);
		if (!finished) {
			// mvnw runs Maven, which runs the application: killing mvnw alone leaves them
			// running, holding ports and the private redis-server's clients
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		assertThat(finished).as("%s finished in time:%n%s", command, output).isTrue();
		assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
		return output;
	}

	private static String pom(String dependencies, String bootVersion, String aiVersion) {
		return """
				<?xml version="1.0" encoding="UTF-8"?>
				<project xmlns="http://maven.apache.org/POM/4.0.0">
					<modelVersion>4.0.0</modelVersion>
					<groupId>com.example</groupId>
					<artifactId>readme-app</artifactId>
					<version>1</version>
					<properties>
						<maven.compiler.release>17</maven.compiler.release>
						<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
					</properties>
					<dependencyManagement>
						<dependencies>
							<dependency>
								<groupId>org.springframework.boot</groupId>
								<artifactId>spring-boot-dependencies</artifactId>
								<version>%s</version>
								<type>pom</type>
								<scope>import</scope>
							</dependency>
							<dependency>
								<groupId>org.springframework.ai</groupId>
								<artifactId>spring-ai-bom</artifactId>
								<version>%s</version>
								<type>pom</type>
								<scope>import</scope>
							</dependency>
						</dependencies>
					</dependencyManagement>
					<dependencies>
				%s
						<dependency>
							<groupId>org.springframework.boot</groupId>
							<artifactId>spring-boot-starter-test</artifactId>
							<scope>test</scope>
						</dependency>
					</dependencies>
					<build>
						<plugins>
							<plugin>
								<groupId>org.apache.maven.plugins</groupId>
								<artifactId>maven-resources-plugin</artifactId>
								<version>3.3.1</version>
							</plugin>
							<plugin>
								<groupId>org.apache.maven.plugins</groupId>
								<artifactId>maven-compiler-plugin</artifactId>
								<version>3.14.0</version>
								<configuration>
									<parameters>true</parameters>
								</configuration>
							</plugin>
							<plugin>
								<groupId>org.apache.maven.plugins</groupId>
								<artifactId>maven-surefire-plugin</artifactId>
								<version>3.5.3</version>
								<configuration>
									<systemPropertyVariables>
										<readme.redis.host>${readme.redis.host}</readme.redis.host>
										<readme.redis.port>${readme.redis.port}</readme.redis.port>
										<readme.redis.key-prefix>${readme.redis.key-prefix}</readme.redis.key-prefix>
									</systemPropertyVariables>
								</configuration>
							</plugin>
						</plugins>
					</build>
				</project>
				""".formatted(bootVersion, aiVersion, dependencies);
	}

	// the README's class needs a ChatModel: a scripted one that answers with every user
	// message of its prompt, so the test sees what the memory added
	private static final String APPLICATION = """
			package com.example;

			import java.util.List;
			import java.util.stream.Collectors;

			import org.springframework.ai.chat.messages.AssistantMessage;
			import org.springframework.ai.chat.messages.MessageType;
			import org.springframework.ai.chat.model.ChatModel;
			import org.springframework.ai.chat.model.ChatResponse;
			import org.springframework.ai.chat.model.Generation;
			import org.springframework.boot.autoconfigure.SpringBootApplication;
			import org.springframework.context.annotation.Bean;

			@SpringBootApplication
			public class ReadmeApplication {

				@Bean
				ChatModel scriptedChatModel() {
					return (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage(prompt.getInstructions()
						.stream()
						.filter((message) -> message.getMessageType() == MessageType.USER)
						.map((message) -> message.getText())
						.collect(Collectors.joining(" | "))))));
				}

			}
			""";

	private static final String IN_MEMORY_TESTS = """
			package com.example;

			import org.junit.jupiter.api.Test;

			import org.springframework.beans.factory.annotation.Autowired;
			import org.springframework.boot.test.context.SpringBootTest;

			import static org.assertj.core.api.Assertions.assertThat;

			@SpringBootTest(properties = "chat-memory.store=in-memory")
			class InMemoryReadmeApplicationTests {

				@Autowired
				Assistant assistant;

				@Test
				void remembers() {
					assertThat(this.assistant.ask("c1", "My name is Ada")).isEqualTo("My name is Ada");
					assertThat(this.assistant.ask("c1", "What is my name?")).isEqualTo("My name is Ada | What is my name?");
					assertThat(this.assistant.ask("c2", "Hello")).isEqualTo("Hello");
				}

			}
			""";

	// README: "keep conversations in Redis (configured by spring.data.redis.*)"; the store
	// is not named, a RedisConnectionFactory makes it Redis
	private static final String REDIS_TESTS = """
			package com.example;

			import org.junit.jupiter.api.Test;

			import org.springframework.beans.factory.annotation.Autowired;
			import org.springframework.boot.test.context.SpringBootTest;

			import static org.assertj.core.api.Assertions.assertThat;

			@SpringBootTest(properties = { "spring.data.redis.host=${readme.redis.host}",
					"spring.data.redis.port=${readme.redis.port}",
					"chat-memory.redis.key-prefix=${readme.redis.key-prefix}" })
			class RedisReadmeApplicationTests {

				@Autowired
				Assistant assistant;

				@Test
				void remembers() {
					assertThat(this.assistant.ask("c1", "My name is Ada")).isEqualTo("My name is Ada");
					assertThat(this.assistant.ask("c1", "What is my name?")).isEqualTo("My name is Ada | What is my name?");
					assertThat(this.assistant.ask("c2", "Hello")).isEqualTo("Hello");
				}

			}
			""";

	private static String section(String markdown, String heading) {
		int start = markdown.indexOf(heading + "\n");
		assertThat(start).as(heading).isNotNegative();
		int end = markdown.indexOf("\n## ", start + heading.length());
		return markdown.substring(start, (end < 0) ? markdown.length() : end);
	}

	private static String block(String markdown, String language) {
		return group(markdown, "(?s)```" + language + "\n(.*?)```");
	}

	private static String group(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("%s in%n%s", regex, text).isTrue();
		return matcher.group(1);
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
	}

}
