package redress.events;

import java.util.List;

/**
 * The regulatory profile names a case may carry: intake accepts them (its configurable default
 * list), followup-service installs a profile of each name and owns what each one means
 * (docs/followup.md, "Profiles"). One list, so the two cannot drift apart.
 */
public final class RegulatoryProfiles {

    /** Comma-separated, for a configuration default ({@code @WithDefault}). */
    public static final String NAMES = "DEFAULT,UK_FCA_DISP,UK_FCA_DISP_PSD,US_CFPB,AU_ASIC_RG271,"
            + "AU_ASIC_RG271_SUPER,AU_ASIC_RG271_HARDSHIP,AU_ASIC_RG271_DEFAULT_NOTICE";

    public static final List<String> ALL = List.of(NAMES.split(","));

    private RegulatoryProfiles() {}
}
