package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.load.SeqLedger.Arrival;
import org.junit.jupiter.api.Test;

class SeqLedgerTest {
    private final SeqLedger ledger = new SeqLedger();

    @Test
    void numbersInOrderAreNeitherDuplicatesNorReordered() {
        for (int i = 1; i <= 5; i++) {
            assertThat(ledger.record(i)).isEqualTo(Arrival.IN_ORDER);
        }
        assertThat(ledger.distinct()).isEqualTo(5);
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.reordered()).isZero();
        assertThat(ledger.missingThrough(5)).isZero();
        assertThat(ledger.max()).isEqualTo(5);
    }

    @Test
    void aNumberSeenBeforeIsADuplicateWhereverItComes() {
        ledger.record(1);
        ledger.record(2);
        assertThat(ledger.record(2)).isEqualTo(Arrival.DUPLICATE);
        assertThat(ledger.record(1)).isEqualTo(Arrival.DUPLICATE);
        assertThat(ledger.duplicates()).isEqualTo(2);
        assertThat(ledger.distinct()).isEqualTo(2);
        assertThat(ledger.reordered()).isZero();
    }

    @Test
    void aNewNumberAfterAHigherOneIsReorderedAndFillsItsGap() {
        ledger.record(1);
        ledger.record(3);
        assertThat(ledger.missingThrough(3)).isEqualTo(1);
        assertThat(ledger.record(2)).isEqualTo(Arrival.REORDERED);
        assertThat(ledger.reordered()).isEqualTo(1);
        assertThat(ledger.missingThrough(3)).isZero();
        assertThat(ledger.max()).isEqualTo(3);
    }

    @Test
    void missingCountsGapsAndTheTailNotYetReceived() {
        ledger.record(1);
        ledger.record(4);
        ledger.record(5);
        ledger.record(9);
        assertThat(ledger.missingThrough(10)).isEqualTo(6); // 2, 3, 6, 7, 8, 10
        assertThat(ledger.missingRanges(10, 10)).isEqualTo("2-3,6-8,10");
        assertThat(ledger.missingRanges(10, 2)).isEqualTo("2-3,6-8");
        assertThat(ledger.missingThrough(0)).isZero();
        assertThat(ledger.has(4)).isTrue();
        assertThat(ledger.has(3)).isFalse();
        assertThat(ledger.has(0)).isFalse();
    }

    @Test
    void nothingReceivedMissesEverything() {
        assertThat(ledger.missingThrough(3)).isEqualTo(3);
        assertThat(ledger.missingRanges(3, 5)).isEqualTo("1-3");
        assertThat(ledger.max()).isZero();
    }

    @Test
    void numbersStartAtOne() {
        assertThatThrownBy(() -> ledger.record(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
