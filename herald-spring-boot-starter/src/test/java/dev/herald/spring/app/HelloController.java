package dev.herald.spring.app;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A plain Spring MVC endpoint, to show Socket.IO and MVC answering on one port. */
@RestController
public class HelloController {

    @GetMapping("/hello")
    public String hello() {
        return "hello from Spring MVC";
    }
}
