package dev.flujo.reliability;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReliabilityReportTest {

    @Test
    void figuresAreGroupedBySectionInOrderWithTheirTest() {
        String page = ReliabilityReport.render(List.of(
                "SECURITY\tsecret planted in an agent URI\tnever found in 6 places\tSecretScanStressTest",
                "LOAD\t10,000 runs\tall completed | p99 40 ms\tLoadStressTest",
                "broken line"));

        assertTrue(page.indexOf("## Load") < page.indexOf("## Security"), page);
        assertTrue(page.contains("| 10,000 runs | all completed \\| p99 40 ms | `LoadStressTest` |"), page);
        assertFalse(page.contains("## Faults"), "a section without figures is left out");
    }
}
