package redress.audit.returns;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import redress.audit.checkpoint.Checkpoint;

/**
 * A regulator's complaints return as filed: the period, the definitions it was computed with
 * (their version, the profiles counted, the business calendar, the taxonomy versions the log held),
 * the signed checkpoint whose entries it was computed from, and the rows. docs/returns.md defines
 * every figure; audit-verifier recomputes them from an export. An FCA return has {@code rows} (one
 * per product/service grouping, then the totals); ASIC's IDR data report has {@code complaints}
 * (one row per complaint, also served as CSV).
 */
public record RegulatoryReturn(
        UUID id,
        String family,
        LocalDate from,
        LocalDate to,
        String zone,
        Definitions definitions,
        Checkpoint checkpoint,
        List<FcaReturn.Row> rows,
        List<AsicReport.Row> complaints,
        String createdBy,
        Instant createdAt) {

    /**
     * @param closeOfBusiness the business day's close in the zone (FCA from {@code fca-return/2}: DISP
     *                        1.5.1R's "by close of business on the third business day"); absent
     *                        before, and for ASIC
     */
    public record Definitions(
            String version,
            List<String> profiles,
            List<String> weekend,
            List<LocalDate> holidays,
            @JsonInclude(JsonInclude.Include.NON_NULL) LocalTime closeOfBusiness,
            List<Integer> taxonomyVersions) {}
}
