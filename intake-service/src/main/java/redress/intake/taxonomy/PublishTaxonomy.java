package redress.intake.taxonomy;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /taxonomy}: the whole next version. Codes are upper-case letters, digits and
 * underscores, unique within their list; every product group names the FCA return's row it counts
 * in ({@link Taxonomy#FCA_PRODUCT_GROUPS}).
 */
public record PublishTaxonomy(
        @NotEmpty @Size(max = 500) List<@NotNull @Valid Group> productGroups,
        @NotEmpty @Size(max = 500) List<@NotNull @Valid Cause> rootCauses,
        @NotBlank @Size(max = 2_000) String reason) {

    static final String CODE = "[A-Z][A-Z0-9_]{0,49}";

    public record Group(
            @NotNull @Pattern(regexp = CODE, message = "must be 1 to 50 of A-Z, 0-9 and _, starting with a letter")
            String code,

            @NotBlank @Size(max = 200) String label,
            @NotNull String fcaProductGroup,
            @NotBlank @Size(max = 100) String asicProduct) {}

    public record Cause(
            @NotNull @Pattern(regexp = CODE, message = "must be 1 to 50 of A-Z, 0-9 and _, starting with a letter")
            String code,

            @NotBlank @Size(max = 200) String label,
            @NotBlank @Size(max = 100) String asicIssue) {}
}
