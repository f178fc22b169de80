package io.github.chatmemory.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small assistant whose conversations are kept by Chat Memory for Spring AI.
 */
@SpringBootApplication
public class SampleAssistantApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleAssistantApplication.class, args);
	}

}
