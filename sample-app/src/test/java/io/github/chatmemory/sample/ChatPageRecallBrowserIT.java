package io.github.chatmemory.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page's recall search mode in a real headless Chromium, with the sample started
 * with {@code chat-memory.recall.enabled=true} (the real offline MiniLM model): from a new
 * chat, a paraphrase recalls a message of another chat, shown with its session title,
 * snippet and score, and a click opens that chat. The screenshot goes to {@code target/}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "chat-memory.recall.enabled=true")
class ChatPageRecallBrowserIT {

	private static final String PETS = "I adopted a puppy named Rex last week";

	@LocalServerPort
	int port;

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void startBrowser() throws IOException {
		this.browser = HeadlessChromium.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void recallModeFindsAnotherChatByMeaningAndOpensIt() throws IOException {
		this.browser.get("http://localhost:" + this.port + "/");
		newChat();
		send(PETS);
		waitForAssistantReply(PETS);
		newChat();

		waitUntilIndexed("demo-user", "my new dog");

		new Select(this.browser.findElement(By.id("search-mode"))).selectByValue("recall");
		WebElement search = this.browser.findElement(By.id("search-input"));
		search.sendKeys("my new dog");
		search.submit();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-results li.recall-hit")));
		// the chat's other messages may be hits too: the search box recalls from every chat
		WebElement best = this.browser.findElements(By.cssSelector("#search-results li.recall-hit"))
			.stream()
			.filter((hit) -> hit.findElement(By.className("snippet")).getText().equals(PETS))
			.findFirst()
			.orElseThrow();
		assertThat(best.findElements(By.className("meta"))).extracting(WebElement::getText)
			.anySatisfy((meta) -> assertThat(meta).startsWith(PETS + " · "))
			.anySatisfy((meta) -> assertThat(meta).matches("score \\d\\.\\d\\d"));
		screenshot("chat-page-recall.png");
		best.click();
		this.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("search-results")));
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), PETS));
		assertThat(this.browser.findElement(By.id("error")).isDisplayed()).isFalse();
	}

	/** Indexing runs in the background: wait, within a bound, until it has caught up. */
	private void waitUntilIndexed(String user, String query) {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		this.wait.until((driver) -> client.get()
			.uri("/api/v1/chat/users/{user}/recall?q={q}", user, query)
			.retrieve()
			.body(String.class)
			.contains(PETS));
	}

	private void newChat() {
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("new-chat"))).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "New chat"));
	}

	private void send(String text) {
		this.browser.findElement(By.id("message-input")).sendKeys(text);
		this.browser.findElement(By.id("send")).click();
	}

	private void waitForAssistantReply(String reply) {
		this.wait.until((driver) -> {
			List<WebElement> replies = driver.findElements(By.cssSelector("#messages li[data-role=assistant]"));
			return !replies.isEmpty() && replies.get(replies.size() - 1).getText().contains(reply);
		});
	}

	private void screenshot(String name) throws IOException {
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
