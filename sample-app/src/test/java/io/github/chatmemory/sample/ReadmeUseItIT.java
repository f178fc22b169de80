package io.github.chatmemory.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds a new project from the README's "Use it" section, exactly its dependencies and
 * its class, and starts it in a test of its own, offline. The project's own artifacts
 * come from this build (copied into a Maven repository under target/), everything else
 * from the local repository read-only, so nothing is installed into it.
 */
class ReadmeUseItIT {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final Path WORK = Path.of("target", "readme-use-it").toAbsolutePath();

	@Test
	void newProjectBuiltFromTheReadmeCompilesAndStarts() throws Exception {
		String useIt = section(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8), "## Use it");
		String dependencies = block(useIt, "xml");
		String assistant = block(useIt, "java");
		assertThat(dependencies).doesNotContain("<type>");
		assertThat(useIt).contains("./mvnw install");
		String version = group(dependencies,
				"<artifactId>chat-memory-spring-boot-starter</artifactId>\\s*<version>([^<]+)</version>");
		String rootPom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
		assertThat(rootPom).contains("<version>" + version + "</version>");

		FileSystemUtils.deleteRecursively(WORK);
		Path repository = WORK.resolve("repository");
		install(repository, "chat-memory-parent", version, ROOT.resolve("pom.xml"), null);
		install(repository, "chat-memory-spring-boot-autoconfigure", version, ROOT.resolve("autoconfigure/pom.xml"),
				ROOT.resolve("autoconfigure/target/chat-memory-spring-boot-autoconfigure-" + version + ".jar"));
		install(repository, "chat-memory-spring-boot-starter", version, ROOT.resolve("starter/pom.xml"),
				ROOT.resolve("starter/target/chat-memory-spring-boot-starter-" + version + ".jar"));

		Path app = WORK.resolve("app");
		write(app.resolve("pom.xml"), pom(dependencies, group(rootPom, "<spring-boot.version>([^<]+)<"),
				group(rootPom, "<spring-ai.version>([^<]+)<")));
		write(app.resolve("src/main/java/com/example/Assistant.java"), "package com.example;\n\n" + assistant);
		write(app.resolve("src/main/java/com/example/ReadmeApplication.java"), APPLICATION);
		write(app.resolve("src/test/java/com/example/ReadmeApplicationTests.java"), APPLICATION_TESTS);

		Path log = WORK.resolve("build.log");
		String tail = System.getProperty("readme.local.repository",
				Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
		Process build = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-o", "-B", "-f",
				app.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repository,
				"-Dmaven.repo.local.tail=" + tail, "test")
			.directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(build.waitFor(10, TimeUnit.MINUTES)).as("build finished").isTrue();
		String output = Files.readString(log, StandardCharsets.UTF_8);
		assertThat(build.exitValue()).as(output).isZero();
		assertThat(output).contains("Tests run: 1, Failures: 0, Errors: 0", "Chat memory store: in-memory");
	}

	private static void install(Path repository, String artifactId, String version, Path pom, Path jar)
			throws IOException {
		Path directory = repository.resolve("io/github/chatmemory/" + artifactId + "/" + version);
		Files.createDirectories(directory);
		Files.copy(pom, directory.resolve(artifactId + "-" + version + ".pom"));
		if (jar != null) {
			assertThat(jar).as("built by this reactor (run ./mvnw verify from the root)").exists();
			Files.copy(jar, directory.resolve(artifactId + "-" + version + ".jar"));
		}
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

	private static final String APPLICATION_TESTS = """
			package com.example;

			import org.junit.jupiter.api.Test;

			import org.springframework.beans.factory.annotation.Autowired;
			import org.springframework.boot.test.context.SpringBootTest;

			import static org.assertj.core.api.Assertions.assertThat;

			@SpringBootTest(properties = "chat-memory.store=in-memory")
			class ReadmeApplicationTests {

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
