package dev.herald.engineio.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ManualSessionExecutorTest {

    final ManualSessionExecutor loop = new ManualSessionExecutor();
    final List<String> ran = new ArrayList<>();

    @Test
    void nothingRunsUntilTheTestRunsItAndTasksQueuedByTasksRunInTheSamePass() {
        loop.execute(() -> {
            ran.add("a " + loop.inExecutor());
            loop.execute(() -> ran.add("c"));
        });
        loop.execute(() -> ran.add("b"));
        assertThat(ran).isEmpty();
        assertThat(loop.inExecutor()).isFalse();
        assertThat(loop.runPending()).isEqualTo(3);
        assertThat(ran).containsExactly("a true", "b", "c");
    }

    @Test
    void advanceRunsDueTimersInDeadlineOrderEachAtItsOwnInstant() {
        long start = loop.nanoTime();
        loop.schedule(() -> ran.add("300 at " + (loop.nanoTime() - start) / 1_000_000), Duration.ofMillis(300));
        loop.schedule(
                () -> {
                    ran.add("100 at " + (loop.nanoTime() - start) / 1_000_000);
                    loop.execute(() -> ran.add("task of 100"));
                    loop.schedule(
                            () -> ran.add("150 at " + (loop.nanoTime() - start) / 1_000_000), Duration.ofMillis(50));
                },
                Duration.ofMillis(100));
        loop.schedule(() -> ran.add("second 300"), Duration.ofMillis(300));
        loop.advance(Duration.ofMillis(299));
        assertThat(ran).containsExactly("100 at 100", "task of 100", "150 at 150");
        loop.advance(Duration.ofMillis(1));
        assertThat(ran).endsWith("300 at 300", "second 300");
        assertThat(loop.elapsed()).isEqualTo(Duration.ofMillis(300));
        assertThat(loop.scheduledTimers()).isZero();
    }

    @Test
    void aStallMovesTheClockAndLeavesOverdueTimersForTheNextAdvance() {
        long start = loop.nanoTime();
        loop.schedule(
                () -> ran.add("due at 100, ran at " + (loop.nanoTime() - start) / 1_000_000), Duration.ofMillis(100));
        loop.stall(Duration.ofMillis(150));
        loop.execute(() -> ran.add("task"));
        loop.runPending();
        assertThat(ran).containsExactly("task");
        loop.advance(Duration.ZERO);
        assertThat(ran).containsExactly("task", "due at 100, ran at 150");
    }

    @Test
    void aCancelledTimerNeverRuns() {
        SessionExecutor.Cancellable c = loop.schedule(() -> ran.add("x"), Duration.ofSeconds(1));
        assertThat(loop.nextTimer()).contains(Duration.ofSeconds(1));
        c.cancel();
        loop.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
        assertThat(loop.nextTimer()).isEmpty();
    }

    @Test
    void aShutDownExecutorRejectsTasks() {
        loop.shutdown();
        assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }
}
