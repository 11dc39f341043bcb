package dev.herald.spring;

import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.SocketNamespace;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same record through Spring MVC (the application's Jackson 3 mapper) and through Herald
 * (Herald's own Jackson 2 mapper), to show the two are configured apart.
 */
final class JsonBeside {

    private JsonBeside() {}

    record Person(String firstName, int age) {}

    @RestController
    static class PersonController {
        @GetMapping("/person")
        Person person() {
            return new Person("Ada", 36);
        }
    }

    @Component
    @SocketNamespace("/people")
    static class PersonHandler {
        @On("older")
        Person older(Person p) {
            return new Person(p.firstName(), p.age() + 1);
        }
    }
}
