package dev.herald.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code herald.server.port} is absent: then Herald shares the application's port. */
final class OnSharedPortCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return context.getEnvironment().containsProperty("herald.server.port")
                ? ConditionOutcome.noMatch("herald.server.port is set: Herald has its own port")
                : ConditionOutcome.match("no herald.server.port: Herald shares the application's port");
    }
}
