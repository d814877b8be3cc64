package redress.events;

import static redress.events.InteractionKind.DELAY_NOTICE;
import static redress.events.InteractionKind.FINAL_RESPONSE;
import static redress.events.InteractionKind.HOLDING_RESPONSE;
import static redress.events.InteractionKind.SUBSTANTIVE_RESPONSE;
import static redress.events.InteractionKind.SUMMARY_RESOLUTION;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a written response to a complainant must say, per regulatory profile and kind of response:
 * the one place where the statements the rules require are data. intake-service refuses a response
 * that lacks one (422 naming each missing element); the codes travel in
 * {@code interaction.recorded.elements}. Each element quotes the rule that requires it
 * (docs/intake.md, "Written responses", has the same table with the rules' words).
 *
 * <p>A profile or kind not listed requires nothing (DEFAULT: the firm's own service levels). The
 * codes are plain strings in events, so a reader never fails on a code it does not know.
 */
public final class ResponseRequirements {

    /** The written responses to the complainant: outbound agent work, each with its elements. */
    public static final Set<InteractionKind> RESPONSE_KINDS =
            EnumSet.of(HOLDING_RESPONSE, FINAL_RESPONSE, SUMMARY_RESOLUTION, SUBSTANTIVE_RESPONSE, DELAY_NOTICE);

    /**
     * Responses that may say when the final response will come ({@code expectedBy}): a holding
     * response, which must (DISP 1.6.2R(2): it "indicates when it expects to be able to provide one"),
     * and RG 271's delay notice, which may: RG 271 asks it for the reasons for the delay, the right to
     * complain to AFCA and AFCA's contact details, not a date.
     */
    public static final Set<InteractionKind> ANNOUNCES_FINAL_RESPONSE = EnumSet.of(HOLDING_RESPONSE, DELAY_NOTICE);

    /** Of {@link #ANNOUNCES_FINAL_RESPONSE}, those whose {@code expectedBy} is required. */
    public static final Set<InteractionKind> STATES_WHEN_FINAL_RESPONSE = EnumSet.of(HOLDING_RESPONSE);

    /** {@code SUBSTANTIVE_RESPONSE.responseStatus}: the CFPB portal's "In progress", or closed with an explanation. */
    public static final List<String> RESPONSE_STATUSES = List.of("IN_PROGRESS", "CLOSED");

    /**
     * One statement a response can contain.
     *
     * @param code      what {@code elements} lists, upper case
     * @param statement what the response says, in a few words
     * @param source    the rule that asks for it, with its own words where short
     */
    public record Element(String code, String statement, String source) {}

    private static final Map<String, Element> CATALOGUE = new LinkedHashMap<>();

    // UK: FCA Handbook, DISP 1.5, 1.6 and 1 Annex 3R.
    public static final String FOS_REFERRAL_RIGHT = element(
            "FOS_REFERRAL_RIGHT",
            "the complainant may now refer the complaint to the Financial Ombudsman Service",
            "DISP 1.6.2R(1)(e) and (2)(b); DISP 1.5.4R(2) (\"may be able to refer\")");
    public static final String FOS_SIX_MONTH_LIMIT = element(
            "FOS_SIX_MONTH_LIMIT",
            "a referral to the Ombudsman must be made within six months of the date of the letter",
            "DISP 1 Annex 3R: \"but you must do so within six months of the date of this letter\"; DISP 2.8.2R(1)");
    public static final String FOS_LEAFLET = element(
            "FOS_LEAFLET",
            "a copy of the Financial Ombudsman Service's standard explanatory leaflet is enclosed",
            "DISP 1.6.2R(1)(d) and (2)(c)");
    public static final String FOS_CONTACT_DETAILS = element(
            "FOS_CONTACT_DETAILS",
            "the website address of the Financial Ombudsman Service",
            "DISP 1.6.2R(1)(da) and (2)(d); DISP 1.5.4R(4)");
    public static final String FOS_TIME_LIMIT_CONSENT = element(
            "FOS_TIME_LIMIT_CONSENT",
            "whether the firm consents to waive the time limits in DISP 2.8.2R or DISP 2.8.7R, in the wording of DISP 1 Annex 3R",
            "DISP 1.6.2R(1)(f); DISP 1.5.4R(3)");
    public static final String FOS_FURTHER_INFORMATION = element(
            "FOS_FURTHER_INFORMATION",
            "further information is available on the Financial Ombudsman Service's website",
            "DISP 1.5.4R(5)");
    public static final String COMPLAINT_RESOLVED = element(
            "COMPLAINT_RESOLVED",
            "the complainant made a complaint and the firm now considers it resolved",
            "DISP 1.5.4R(1)");
    public static final String REASONS_FOR_DELAY = element(
            "REASONS_FOR_DELAY",
            "why the firm cannot give its final response yet",
            "DISP 1.6.2R(2)(a) \"explains why it is not in a position to make a final response\"; DISP 1.6.2AR(2) "
                    + "(the reasons for the delay); RG 271 IDR delay notification: the reasons for the delay");
    public static final String EXPECTED_DATE = element(
            "EXPECTED_DATE",
            "when the firm expects to give its final response",
            "DISP 1.6.2R(2)(a) \"indicates when it expects to be able to provide one\"; DISP 1.6.2AR(2) "
                    + "(the deadline by which the final response will come)");

    // Australia: ASIC RG 271 (IDR responses and delay notifications), AFCA Rules.
    public static final String FINAL_OUTCOME = element(
            "FINAL_OUTCOME",
            "the final outcome of the complaint at internal dispute resolution",
            "RG 271, content of the IDR response: the final outcome of the complaint at IDR");
    public static final String AFCA_REFERRAL_RIGHT = element(
            "AFCA_REFERRAL_RIGHT",
            "the complainant's right to take the complaint to AFCA if not satisfied",
            "RG 271, content of the IDR response and of the IDR delay notification");
    public static final String AFCA_CONTACT_DETAILS = element(
            "AFCA_CONTACT_DETAILS",
            "AFCA's name and contact details",
            "RG 271, content of the IDR response and of the IDR delay notification");
    public static final String AFCA_TIME_LIMIT = element(
            "AFCA_TIME_LIMIT",
            "the time limit for lodging the complaint with AFCA (two years after the IDR response)",
            "AFCA Rules B.4.3 (the limit runs from the IDR response)");

    // United States: the CFPB company portal (Dodd-Frank Act section 1034(b), 12 U.S.C. 5534(b)).
    public static final String CFPB_PORTAL_RESPONSE = element(
            "CFPB_PORTAL_RESPONSE",
            "the response was entered in the CFPB company portal",
            "CFPB Company Portal Manual 8.1: \"provide a response to each complaint through the portal\"");
    public static final String CFPB_STEPS_TAKEN = element(
            "CFPB_STEPS_TAKEN", "the steps the company has taken in response to the complaint", "12 U.S.C. 5534(b)(1)");
    public static final String CFPB_CONSUMER_RESPONSES =
            element("CFPB_CONSUMER_RESPONSES", "the responses received from the consumer", "12 U.S.C. 5534(b)(2)");
    public static final String CFPB_FOLLOW_UP_ACTIONS =
            element("CFPB_FOLLOW_UP_ACTIONS", "follow-up actions taken or planned", "12 U.S.C. 5534(b)(3)");

    /** Every element code, in the order above. */
    public static final Map<String, Element> ELEMENTS = Collections.unmodifiableMap(CATALOGUE);

    private static final Map<String, Map<InteractionKind, List<String>>> REQUIRED = new LinkedHashMap<>();

    static {
        List<String> dispFinal = List.of(
                FOS_REFERRAL_RIGHT, FOS_SIX_MONTH_LIMIT, FOS_LEAFLET, FOS_CONTACT_DETAILS, FOS_TIME_LIMIT_CONSENT);
        require("UK_FCA_DISP", FINAL_RESPONSE, dispFinal);
        require(
                "UK_FCA_DISP",
                HOLDING_RESPONSE,
                List.of(REASONS_FOR_DELAY, EXPECTED_DATE, FOS_REFERRAL_RIGHT, FOS_LEAFLET, FOS_CONTACT_DETAILS));
        require(
                "UK_FCA_DISP",
                SUMMARY_RESOLUTION,
                List.of(
                        COMPLAINT_RESOLVED,
                        FOS_REFERRAL_RIGHT,
                        FOS_SIX_MONTH_LIMIT,
                        FOS_TIME_LIMIT_CONSENT,
                        FOS_CONTACT_DETAILS,
                        FOS_FURTHER_INFORMATION));
        // PSD and EMD complaints: a 'final response' (the glossary's, DISP 1.6.2R(1)) within 15 business
        // days; in exceptional circumstances a holding response (DISP 1.6.2AR(2)), which asks for the
        // reasons and the deadline only.
        require("UK_FCA_DISP_PSD", FINAL_RESPONSE, dispFinal);
        require("UK_FCA_DISP_PSD", HOLDING_RESPONSE, List.of(REASONS_FOR_DELAY, EXPECTED_DATE));

        require("US_CFPB", FINAL_RESPONSE, List.of(CFPB_PORTAL_RESPONSE, CFPB_STEPS_TAKEN, CFPB_FOLLOW_UP_ACTIONS));
        require("US_CFPB", SUBSTANTIVE_RESPONSE, List.of(CFPB_PORTAL_RESPONSE, CFPB_STEPS_TAKEN));

        for (String rg271 : List.of(
                "AU_ASIC_RG271", "AU_ASIC_RG271_SUPER", "AU_ASIC_RG271_HARDSHIP", "AU_ASIC_RG271_DEFAULT_NOTICE")) {
            require(
                    rg271,
                    FINAL_RESPONSE,
                    List.of(FINAL_OUTCOME, AFCA_REFERRAL_RIGHT, AFCA_CONTACT_DETAILS, AFCA_TIME_LIMIT));
            require(rg271, DELAY_NOTICE, List.of(REASONS_FOR_DELAY, AFCA_REFERRAL_RIGHT, AFCA_CONTACT_DETAILS));
        }
    }

    private ResponseRequirements() {}

    private static String element(String code, String statement, String source) {
        CATALOGUE.put(code, new Element(code, statement, source));
        return code;
    }

    private static void require(String profile, InteractionKind kind, List<String> codes) {
        codes.forEach(c -> {
            if (!CATALOGUE.containsKey(c)) {
                throw new IllegalStateException("unknown element " + c);
            }
        });
        REQUIRED.computeIfAbsent(profile, p -> new EnumMap<>(InteractionKind.class))
                .put(kind, List.copyOf(codes));
    }

    public static boolean isKnown(String code) {
        return CATALOGUE.containsKey(code);
    }

    /** The elements a response of this kind must contain on a case with this profile; empty when none. */
    public static List<Element> required(String profile, InteractionKind kind) {
        return REQUIRED.getOrDefault(profile, Map.of()).getOrDefault(kind, List.of()).stream()
                .map(CATALOGUE::get)
                .toList();
    }

    /** The required elements that {@code present} lacks, in the order of the requirement. */
    public static List<Element> missing(String profile, InteractionKind kind, Collection<String> present) {
        return required(profile, kind).stream()
                .filter(e -> !present.contains(e.code()))
                .toList();
    }

    /** The profiles that require something of some response. */
    public static Set<String> profiles() {
        return Collections.unmodifiableSet(REQUIRED.keySet());
    }

    /** Every (profile, kind) pair with its requirement, for documentation and tests. */
    public static Stream<Map.Entry<String, Map<InteractionKind, List<String>>>> table() {
        return REQUIRED.entrySet().stream().map(e -> Map.entry(e.getKey(), Map.copyOf(e.getValue())));
    }
}
