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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in a real headless Chromium: start a chat, two messages where the second
 * answer uses the first, reload and see the history, search and find the message, on a
 * desktop and a phone-sized screen. Screenshots go to {@code target/}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPageBrowserIT {

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
	void chatRemembersReloadsAndFinds() throws IOException {
		this.browser.get("http://localhost:" + this.port + "/");
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("new-chat"))).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "New chat"));

		send("My name is Ada");
		waitForAssistantReply(1, "Nice to meet you, Ada!");
		send("What is my name?");
		waitForAssistantReply(2, "Your name is Ada.");
		assertThat(messages()).hasSize(4);
		assertThat(this.browser.findElement(By.id("context-indicator")).getText())
			.contains("Context sent to the model: 4 of 4 messages");
		assertThat(this.browser.findElement(By.id("chat-title")).getText()).isEqualTo("My name is Ada");
		screenshot("chat-page.png");

		this.browser.navigate().refresh();
		this.wait.until((driver) -> messages().size() == 4);
		assertThat(messages().get(0).getText()).contains("My name is Ada");
		assertThat(messages().get(3).getText()).contains("Your name is Ada.");
		assertThat(this.browser.findElements(By.cssSelector("#session-list li"))).hasSize(1);

		WebElement search = this.browser.findElement(By.id("search-input"));
		search.sendKeys("name is ADA");
		search.submit();
		WebElement hit = this.wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-results li.hit")));
		assertThat(hit.getText()).contains("My name is Ada");
		assertThat(hit.findElement(By.tagName("mark")).getText()).isEqualTo("name is Ada");
		screenshot("chat-page-search.png");
		hit.click();
		this.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("search-results")));

		this.browser.manage().window().setSize(new Dimension(390, 844));
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("toggle-sidebar")));
		this.wait.until((driver) -> sidebarRight() <= 0);
		assertThat(this.browser.findElement(By.id("send")).isDisplayed()).isTrue();
		assertThat(messages()).hasSize(4);
		screenshot("chat-page-phone.png");
		this.browser.findElement(By.id("toggle-sidebar")).click();
		this.wait.until((driver) -> sidebarRight() > 300);
		assertThat(this.browser.findElement(By.cssSelector("#session-list li")).isDisplayed()).isTrue();
		screenshot("chat-page-phone-sidebar.png");
	}

	private double sidebarRight() {
		Object right = this.browser
			.executeScript("return document.getElementById('sidebar').getBoundingClientRect().right;");
		return ((Number) right).doubleValue();
	}

	private void send(String text) {
		WebElement input = this.browser.findElement(By.id("message-input"));
		input.sendKeys(text);
		this.browser.findElement(By.id("send")).click();
	}

	private void waitForAssistantReply(int count, String reply) {
		this.wait.until((driver) -> {
			List<WebElement> replies = driver.findElements(By.cssSelector("#messages li[data-role=assistant]"));
			return replies.size() == count && replies.get(count - 1).getText().contains(reply);
		});
	}

	private List<WebElement> messages() {
		return this.browser.findElements(By.cssSelector("#messages li[data-role]"));
	}

	private void screenshot(String name) throws IOException {
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
