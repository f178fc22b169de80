package io.github.chatmemory.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page's fixes, in a real headless Chromium: no empty chat is stored, one
 * message at a time, a user switch resets the page, rename and delete in the page's own
 * dialogs, and on a phone a drawer that closes and a title that is not squeezed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPageFixesBrowserIT {

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

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
	void newChatStoresNothingUntilItsFirstMessage() {
		open("nora");
		click("new-chat");
		click("new-chat");
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "New chat"));
		assertThat(this.manager.listSessions("nora", 0, 10).items()).as("sessions after two New chat clicks").isEmpty();
		send("Where do penguins live?");
		waitForReplies(1);
		assertThat(this.manager.listSessions("nora", 0, 10).items()).singleElement()
			.satisfies((session) -> assertThat(session.title()).isEqualTo("Where do penguins live?"));
		assertThat(text("chat-title")).isEqualTo("Where do penguins live?");
	}

	@Test
	void sendWaitsForTheAnswerSoMessagesAreStoredInOrder() {
		open("omar");
		click("new-chat");
		// in one script, so that the answer cannot have come in between: send, look at the
		// button, then try a second message with Enter while the first is pending
		Object disabledRightAfter = this.browser.executeScript("""
				const input = document.getElementById('message-input');
				input.value = 'first question';
				document.getElementById('send').click();
				const disabled = document.getElementById('send').disabled;
				input.value = 'second question';
				input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
				return disabled;""");
		assertThat(disabledRightAfter).isEqualTo(true);
		waitForReplies(1);
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
		String session = this.manager.listSessions("omar", 0, 10).items().get(0).id();
		assertThat(this.manager.getAllMessages(session)).extracting(StoredMessage::content)
			.as("the second message was not sent while the first was pending")
			.hasSize(2)
			.first()
			.isEqualTo("first question");
		assertThat(this.browser.findElement(By.id("message-input")).getAttribute("value"))
			.as("the message not sent stays in the box").isEqualTo("second question");
	}

	@Test
	void switchingTheUserResetsTheConversationAndItsButtons() {
		open("pia");
		click("new-chat");
		send("My favourite colour is green");
		waitForReplies(1);
		assertThat(this.browser.findElement(By.id("rename")).isEnabled()).isTrue();
		WebElement user = this.browser.findElement(By.id("user-id"));
		user.clear();
		user.sendKeys("quinn", Keys.TAB);
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "Chat Memory assistant"));
		assertThat(this.browser.findElement(By.id("rename")).isEnabled()).isFalse();
		assertThat(this.browser.findElement(By.id("delete")).isEnabled()).isFalse();
		assertThat(this.browser.findElements(By.cssSelector("#messages li"))).isEmpty();
		assertThat(this.browser.findElements(By.cssSelector("#session-list li"))).isEmpty();
	}

	@Test
	void renameAndDeleteUseThePagesOwnDialogs() {
		open("rosa");
		// the browser's own prompts would block the page: they must not be used
		this.browser.executeScript("window.prompt = window.confirm = () => { window.usedBrowserDialog = true; return null; };");
		click("new-chat");
		send("Planning a trip to Oslo");
		waitForReplies(1);
		click("rename");
		WebElement title = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rename-input")));
		title.clear();
		title.sendKeys("Oslo trip");
		click("rename-save");
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "Oslo trip"));
		assertThat(this.manager.listSessions("rosa", 0, 10).items().get(0).title()).isEqualTo("Oslo trip");
		click("delete");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("delete-confirm"))).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("chat-title"), "Chat Memory assistant"));
		assertThat(this.manager.listSessions("rosa", 0, 10).items()).isEmpty();
		assertThat(this.browser.executeScript("return window.usedBrowserDialog === true;")).isEqualTo(false);
	}

	@Test
	void onAPhoneTheDrawerClosesAndTheTitleKeepsItsRoom() {
		this.browser.manage().window().setSize(new Dimension(390, 844));
		open("sam");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("toggle-sidebar"))).click();
		this.wait.until((driver) -> sidebarRight() > 300);
		click("close-sidebar");
		this.wait.until((driver) -> sidebarRight() <= 0);
		click("toggle-sidebar");
		this.wait.until((driver) -> sidebarRight() > 300);
		// the backdrop beside the drawer closes it
		this.browser.executeScript("document.getElementById('backdrop').click();");
		this.wait.until((driver) -> sidebarRight() <= 0);
		click("toggle-sidebar");
		this.wait.until((driver) -> sidebarRight() > 300);
		click("new-chat");
		this.wait.until((driver) -> sidebarRight() <= 0);
		send("A fairly long first message about the garden");
		waitForReplies(1);
		Number titleWidth = (Number) this.browser
			.executeScript("return document.getElementById('chat-title').getBoundingClientRect().width;");
		assertThat(titleWidth.doubleValue()).as("title width on a 390 px screen").isGreaterThan(250);
	}

	private void open(String user) {
		this.browser.get("http://localhost:" + this.port + "/");
		WebElement field = this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("user-id")));
		this.browser.executeScript("localStorage.setItem('chat-memory.user', arguments[0]);", user);
		this.browser.navigate().refresh();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("user-id"), "value", user));
		assertThat(field).isNotNull();
	}

	private void click(String id) {
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
	}

	private String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	private void send(String text) {
		this.browser.findElement(By.id("message-input")).sendKeys(text);
		click("send");
	}

	private void waitForReplies(int count) {
		this.wait.until((driver) -> {
			List<WebElement> replies = driver.findElements(By.cssSelector("#messages li[data-role=assistant]"));
			return replies.size() == count;
		});
	}

	private double sidebarRight() {
		Object right = this.browser
			.executeScript("return document.getElementById('sidebar').getBoundingClientRect().right;");
		return ((Number) right).doubleValue();
	}

}
