package io.github.chatmemory.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@link RestTestApplication}'s users with a filter chain that lets every request
 * through, anonymous ones included: the API itself must refuse requests without a user.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RestTestApplication.Users.class)
public class PermitAllRestTestApplication {

	@Bean
	SecurityFilterChain permitAll(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

}
