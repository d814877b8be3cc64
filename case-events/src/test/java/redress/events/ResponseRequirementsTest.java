package redress.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ResponseRequirementsTest {

    static List<String> codes(List<ResponseRequirements.Element> elements) {
        return elements.stream().map(ResponseRequirements.Element::code).toList();
    }

    @Test
    void everyProfileWithRequirementsIsAnAcceptedName() {
        for (String profile : ResponseRequirements.profiles()) {
            assertTrue(RegulatoryProfiles.ALL.contains(profile), profile + " is not in RegulatoryProfiles.NAMES");
        }
    }

    @Test
    void requirementsOnlyConcernResponseKinds() {
        ResponseRequirements.table()
                .forEach(row -> row.getValue()
                        .keySet()
                        .forEach(kind -> assertTrue(
                                ResponseRequirements.RESPONSE_KINDS.contains(kind), row.getKey() + " " + kind)));
    }

    @Test
    void everyElementNamesItsSourceAndIsUpperCase() {
        ResponseRequirements.ELEMENTS.values().forEach(e -> {
            assertTrue(e.code().matches("[A-Z][A-Z0-9_]*"), e.code());
            assertFalse(e.source().isBlank(), e.code());
            assertFalse(e.statement().isBlank(), e.code());
        });
    }

    @Test
    void dispFinalResponseNeedsTheOmbudsmanStatements() {
        assertEquals(
                List.of(
                        "FOS_REFERRAL_RIGHT",
                        "FOS_SIX_MONTH_LIMIT",
                        "FOS_LEAFLET",
                        "FOS_CONTACT_DETAILS",
                        "FOS_TIME_LIMIT_CONSENT"),
                codes(ResponseRequirements.required("UK_FCA_DISP", InteractionKind.FINAL_RESPONSE)));
        assertEquals(
                codes(ResponseRequirements.required("UK_FCA_DISP", InteractionKind.FINAL_RESPONSE)),
                codes(ResponseRequirements.required("UK_FCA_DISP_PSD", InteractionKind.FINAL_RESPONSE)));
        assertEquals(
                List.of("FOS_SIX_MONTH_LIMIT", "FOS_TIME_LIMIT_CONSENT"),
                codes(ResponseRequirements.missing(
                        "UK_FCA_DISP",
                        InteractionKind.FINAL_RESPONSE,
                        List.of("FOS_REFERRAL_RIGHT", "FOS_LEAFLET", "FOS_CONTACT_DETAILS"))));
    }

    @Test
    void holdingResponsesDifferBetweenDispAndPsd() {
        assertEquals(
                List.of(
                        "REASONS_FOR_DELAY",
                        "EXPECTED_DATE",
                        "FOS_REFERRAL_RIGHT",
                        "FOS_LEAFLET",
                        "FOS_CONTACT_DETAILS"),
                codes(ResponseRequirements.required("UK_FCA_DISP", InteractionKind.HOLDING_RESPONSE)));
        assertEquals(
                List.of("REASONS_FOR_DELAY", "EXPECTED_DATE"),
                codes(ResponseRequirements.required("UK_FCA_DISP_PSD", InteractionKind.HOLDING_RESPONSE)));
    }

    @Test
    void everyRg271ProfileNeedsTheAfcaStatements() {
        for (String p : RegulatoryProfiles.ALL.stream()
                .filter(n -> n.startsWith("AU_ASIC_RG271"))
                .toList()) {
            assertEquals(
                    List.of("FINAL_OUTCOME", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS", "AFCA_TIME_LIMIT"),
                    codes(ResponseRequirements.required(p, InteractionKind.FINAL_RESPONSE)),
                    p);
            assertEquals(
                    List.of("REASONS_FOR_DELAY", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS"),
                    codes(ResponseRequirements.required(p, InteractionKind.DELAY_NOTICE)),
                    p);
        }
    }

    @Test
    void defaultAndUnlistedKindsNeedNothing() {
        for (InteractionKind k : ResponseRequirements.RESPONSE_KINDS) {
            assertEquals(List.of(), ResponseRequirements.required("DEFAULT", k));
        }
        assertEquals(List.of(), ResponseRequirements.required("UK_FCA_DISP", InteractionKind.NOTE));
        assertEquals(List.of(), ResponseRequirements.required("NO_SUCH_PROFILE", InteractionKind.FINAL_RESPONSE));
        assertTrue(ResponseRequirements.isKnown("CFPB_PORTAL_RESPONSE"));
        assertFalse(ResponseRequirements.isKnown("fos_referral_right"), "codes are exact");
    }
}
