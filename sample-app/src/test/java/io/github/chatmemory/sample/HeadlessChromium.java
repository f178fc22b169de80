package io.github.chatmemory.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the machine's Chromium, headless, for the chat page's browser tests; a machine
 * without it fails the test and says what to install.
 */
final class HeadlessChromium {

	private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	static ChromeDriver start() throws IOException {
		assertThat(new File(CHROMIUM)).as("Chromium for the browser test (apt-get install chromium chromium-driver)")
			.canRead();
		assertThat(new File(CHROMEDRIVER)).as("ChromeDriver (apt-get install chromium-driver)").canRead();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--user-data-dir=" + Files.createTempDirectory("chromium"), "--window-size=1280,800");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
