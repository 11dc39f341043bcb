package dev.herald.spring.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The README's Spring Boot application: a REST controller and {@link ChatHandler} on one port. */
@SpringBootApplication
public class ChatApp {

    public static void main(String[] args) {
        SpringApplication.run(ChatApp.class, args);
    }
}
